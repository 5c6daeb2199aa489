// End to end through the `turnaround` binary and a real SQLite file: an ops
// lead opens a top-five issue from a theme, cases link to it, the issue runs
// its Week 2/3/4/6 process through `cases fire`, and when its action is done
// the linked open detractor cases wait in close_the_loop.
#include "tests/e2e/e2e_util.h"

namespace turnaround::testing {

namespace {

const char* kIssueResponses =
    "response_id,customer_id,customer_name,segment,arr,score,comment,responded_at\n"
    "S1,SMB-1,Café Mokka,smb,5000,5,Invoice wrong,2026-10-31T09:00:00Z\n"
    "S2,SMB-2,Bäckerei Kraft,smb,8000,3,Billing again,2026-11-01T09:00:00Z\n"
    "M1,MID-1,Bluefin Analytics,mid-market,50000,6,Slow delivery,2026-11-01T09:00:00Z\n"
    "P1,SMB-3,Happy Co,smb,4000,10,Love it,2026-11-01T10:00:00Z\n";

const char* kOps = "jonas.ops";

}  // namespace

TEST_CASE("Cli.TopFiveIssueFromThemeToClosedLoop") {
  Cli cli;
  cli.init();
  const std::string now = "2026-11-02T09:00:00Z";
  std::string file = cli.write("responses.csv", kIssueResponses);
  cli.ok({"import", "responses", file, "--db", cli.db, "--now", "2026-11-02T08:00:00Z"});
  // Case 1 (S1) has its themes recorded before the issue exists.
  cli.ok({"cases", "fire", "1", "log_call", "--db", cli.db, "--as", kOps, "--now", now, "--set",
          "callback_notes=Invoice in USD", "--set", "themes=billing"});

  // Validation: unknown theme, unknown segment, wrong role; nothing is written.
  auto bad = cli.run({"issue", "open", "--theme", "weather", "--as", kOps, "--db", cli.db, "--now", now});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("theme 'weather' is not one of") != std::string::npos);
  bad = cli.run({"issue", "open", "--theme", "billing", "--segment", "mars", "--as", kOps, "--db", cli.db});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("segment 'mars'") != std::string::npos);
  bad = cli.run({"issue", "open", "--theme", "billing", "--as", "lena.owner", "--db", cli.db});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("may not open issues") != std::string::npos);
  CHECK(cli.run({"issue", "open", "--as", kOps, "--db", cli.db}).exit_code == 2);
  CHECK(cli.run({"issue", "link", "4", "--as", kOps, "--db", cli.db}).exit_code == 2);
  CHECK(cli.json({"issue", "list", "--db", cli.db}).at("issues").as_array().empty());

  // Candidates: billing leads with one case so far.
  auto cands = cli.json({"issue", "candidates", "--db", cli.db, "--now", now});
  REQUIRE(!cands.at("candidates").as_array().empty());
  CHECK(str(cands.at("candidates").at(0).at("theme")) == "billing");
  CHECK(cands.at("candidates").at(0).at("cases").as_int64() == 1);

  auto issue = cli.json({"issue", "open", "--theme", "billing", "--segment", "smb", "--as", kOps,
                         "--title", "Invoices in the wrong currency", "--db", cli.db, "--now", now});
  const std::string id = std::to_string(issue.at("id").as_int64());
  CHECK(id == "4");  // cases 1..3 came from the responses
  CHECK(str(issue.at("state")) == "root_cause");
  CHECK(str(issue.at("segment")) == "smb");
  CHECK(str(issue.at("owner")) == kOps);
  CHECK(str(issue.at("deadlines").at(0).at("due_at")) == "2026-11-16T22:59:59Z");

  // Case 2 (S2) links automatically; case 1 explicitly.
  cli.ok({"cases", "fire", "2", "log_call", "--db", cli.db, "--as", kOps, "--now", now, "--set",
          "callback_notes=Billing", "--set", "themes=billing,delivery"});
  auto linked = cli.json({"issue", "link", id, "--all-matching", "--as", kOps, "--db", cli.db, "--now", now});
  CHECK(linked.at("linked").as_array().size() == 1);
  CHECK(linked.at("linked").at(0).as_int64() == 1);
  CHECK(linked.at("already").as_array().size() == 1);
  auto wrong = cli.run({"issue", "link", id, "--case", "3", "--as", kOps, "--db", cli.db, "--now", now});
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.err.find("segment 'mid-market'") != std::string::npos);

  // The issue's own events go through `cases fire`.
  const std::vector<std::vector<std::string>> steps = {
      {"record_root_cause", "root_cause=currency mapping"},
      {"record_solutions", "solutions=map the currency per account"},
      {"submit_proposal", "proposal=rebuild invoicing", "budget_amendment=15000"},
      {"record_action", "action_taken=invoices in the account's currency"}};
  for (const auto& s : steps) {
    std::vector<std::string> args = {"cases", "fire", id, s[0], "--db", cli.db, "--as", kOps,
                                     "--now", "2026-11-20T09:00:00Z"};
    for (std::size_t i = 1; i < s.size(); ++i) {
      args.push_back("--set");
      args.push_back(s[i]);
    }
    cli.ok(args);
  }
  auto shown = cli.json({"issue", "show", id, "--db", cli.db, "--now", "2026-11-21T09:00:00Z"});
  CHECK(str(shown.at("state")) == "verify");
  CHECK(shown.at("linked").at("open").as_int64() == 2);
  CHECK(str(shown.at("verification").at("action_done_at")) == "2026-11-20T09:00:00Z");
  CHECK(shown.at("verification").at("before").at("responses").as_int64() == 3);
  CHECK(shown.at("verification").at("before").at("detractors").as_int64() == 2);
  CHECK(shown.at("cases").as_array().size() == 2);
  for (const char* cid : {"1", "2"}) {
    auto c = cli.json({"cases", "show", cid, "--db", cli.db, "--now", "2026-11-21T09:00:00Z"});
    CAPTURE(cid);
    CHECK(str(c.at("state")) == "close_the_loop");
    CHECK(str(c.at("data").at("issue_action")) == "invoices in the account's currency");
  }
  auto mid = cli.json({"cases", "show", "3", "--db", cli.db, "--now", "2026-11-21T09:00:00Z"});
  CHECK(str(mid.at("state")) == "callback");
  CHECK(mid.at("issues").as_array().empty());

  // A case shows the issues it is linked to, and how: case 2 automatically
  // (its themes), case 1 by "link all matching".
  auto c2 = cli.json({"cases", "show", "2", "--db", cli.db, "--now", "2026-11-21T09:00:00Z"});
  REQUIRE(c2.at("issues").as_array().size() == 1);
  CHECK(c2.at("issues").at(0).at("id").as_int64() == 4);
  CHECK(str(c2.at("issues").at(0).at("title")) == "Invoices in the wrong currency");
  CHECK(str(c2.at("issues").at(0).at("how")) == "auto");
  CHECK(c2.at("issues").at(0).at("open").as_bool());
  std::string shown1 = cli.ok({"cases", "show", "1", "--db", cli.db, "--now", "2026-11-21T09:00:00Z"});
  CHECK(shown1.find("ISSUE") != std::string::npos);
  CHECK(shown1.find("Invoices in the wrong currency") != std::string::npos);
  CHECK(shown1.find("bulk") != std::string::npos);
  CHECK(cli.ok({"cases", "show", "3", "--db", cli.db}).find("ISSUE") == std::string::npos);

  // The loss review's view: the top issues with their status.
  auto top = cli.json({"issue", "top", "--db", cli.db, "--now", "2026-11-21T09:00:00Z"});
  REQUIRE(top.at("issues").as_array().size() == 1);
  CHECK(str(top.at("issues").at(0).at("state")) == "verify");
  std::string table = cli.ok({"issue", "list", "--db", cli.db, "--now", "2026-11-21T09:00:00Z"});
  CHECK(table.find("Invoices") == std::string::npos);  // the table shows theme, not title
  CHECK(table.find("billing") != std::string::npos);
  CHECK(table.find("1 issue(s)") != std::string::npos);
}

}  // namespace turnaround::testing
