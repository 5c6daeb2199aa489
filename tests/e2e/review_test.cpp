// The loss review end to end: `turnaround review schedule|ics|agenda|mark`
// and `tick` on a real SQLite file, and the agenda over HTTP from the real
// server on 127.0.0.1.
#include "tests/e2e/http_server.h"

namespace turnaround::testing {
namespace {

namespace json = boost::json;

const char* kResponses =
    "response_id,customer_id,customer_name,segment,arr,score,comment,responded_at\n"
    "R1,A,Alpha GmbH,smb,5000,5,slow support,2026-10-12T07:00:00Z\n"
    "R2,B,Beta AG,mid-market,50000,3,invoice errors,2026-10-12T07:10:00Z\n"
    "R3,P,Pi KG,smb,4000,10,great,2026-10-12T07:20:00Z\n";

const char* kChurn =
    "customer_id,lost_at,reason,arr\n"
    "E1,2026-10-10T10:00:00Z,Moved to a cheaper competitor,120000\n"
    "S1,2026-10-11T10:00:00Z,Billing errors,2000\n"
    "S2,2026-10-12T07:00:00Z,Billing errors,3000\n";

}  // namespace

TEST_CASE("Review.ScheduleJsonAndIcsThroughTheCli") {
  Cli cli;
  cli.init("2026-10-12T08:00:00Z");
  auto s = cli.json({"review", "schedule", "--db", cli.db, "--from", "2026-03-01T00:00:00Z",
                     "--count", "2"});
  auto& m = s.at("meetings").as_array();
  REQUIRE(m.size() == 2);
  CHECK(m[0].at("starts_at") == "2026-03-10T14:00:00Z");
  CHECK(m[0].at("local") == "2026-03-10T15:00:00+01:00");
  CHECK(m[0].at("zone") == "Europe/Berlin");
  CHECK(m[0].at("agenda_cutoff") == "2026-03-06T14:00:00Z");
  CHECK(m[1].at("starts_at") == "2026-04-14T13:00:00Z");  // after the DST change
  CHECK(m[1].at("local") == "2026-04-14T15:00:00+02:00");
  CHECK(s.at("rrule") == "FREQ=MONTHLY;BYDAY=2TU");
  // Default --from is --now.
  auto next = cli.json({"review", "schedule", "--db", cli.db, "--now", "2026-10-20T00:00:00Z",
                        "--count", "1"});
  CHECK(next.at("meetings").at(0).at("month") == "2026-11");
  CHECK(cli.ok({"review", "schedule", "--db", cli.db, "--now", "2026-10-20T00:00:00Z"})
            .find("2026-11-10T15:00:00+01:00") != std::string::npos);

  std::string ics = cli.dir.file("review.ics");
  cli.ok({"review", "ics", "--db", cli.db, "--from", "2026-11-01T00:00:00Z", "--count", "2",
          "--out", ics, "--now", "2026-10-20T00:00:00Z"});
  std::ifstream in(ics, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
  CHECK(text.find("DTSTART:20261110T140000Z\r\n") != std::string::npos);
  CHECK(text.find("DTSTART:20261208T140000Z\r\n") != std::string::npos);
  CHECK(text.find("UID:loss-review-2026-11@acme-analytics-gmbh.turnaround\r\n") != std::string::npos);
  CHECK(text.find("DTSTAMP:20261020T000000Z\r\n") != std::string::npos);
  CHECK(text.ends_with("END:VCALENDAR\r\n"));
  // No bare LF anywhere.
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') REQUIRE((i > 0 && text[i - 1] == '\r'));
  }

  // Usage errors: exit 2.
  CHECK(cli.run({"review", "schedule", "--db", cli.db, "--count", "0"}).exit_code == 2);
  CHECK(cli.run({"review", "schedule", "--db", cli.db, "--format", "xml"}).exit_code == 2);
  CHECK(cli.run({"review", "agenda", "--db", cli.db, "--month", "2026-13"}).exit_code == 2);
  CHECK(cli.run({"review", "agenda", "--db", cli.db}).exit_code == 2);
  CHECK(cli.run({"review", "nonsense"}).exit_code == 2);
  CHECK(cli.run({"review", "mark", "x", "--db", cli.db, "--month", "2026-11", "--as", "ines.ops"})
            .exit_code == 2);
}

TEST_CASE("Review.AgendaFreezesAtTheCutoffThroughTheCli") {
  Cli cli;
  cli.init("2026-10-12T08:00:00Z");
  cli.ok({"import", "responses", cli.write("r.csv", kResponses), "--db", cli.db, "--now",
          "2026-10-12T08:00:00Z"});
  cli.ok({"import", "churn", cli.write("c.csv", kChurn), "--db", cli.db, "--now",
          "2026-10-12T09:00:00Z"});
  auto live = cli.json({"review", "agenda", "--db", cli.db, "--month", "2026-11", "--now",
                        "2026-10-20T08:00:00Z"});
  CHECK(live.at("frozen") == false);
  CHECK(live.at("lost_customers").at("count") == 3);
  CHECK(live.at("lost_customers").at("arr").to_number<double>() == 125000);
  CHECK(live.at("detractor_cases").at("opened").at("total") == 2);
  CHECK(live.at("loss_cases").at("total") == 3);
  CHECK(live.at("callback_sample").at("customers").as_array().size() == 3);

  // The tick at the cut-off freezes October's (late: set up after its
  // cut-off) and November's agendas; a second tick freezes nothing.
  auto t = cli.json({"tick", "--db", cli.db, "--now", "2026-11-06T14:00:00Z"});
  CHECK(t.at("agendas_frozen") == 2);
  CHECK(cli.json({"tick", "--db", cli.db, "--now", "2026-11-06T14:01:00Z"}).at("agendas_frozen") == 0);

  // A churn event arriving late, inside the period: the frozen agenda keeps
  // three; the live view shows four.
  cli.ok({"import", "churn",
          cli.write("late.csv", "customer_id,lost_at,reason,arr\nS3,2026-11-05T09:00:00Z,Billing errors,500\n"),
          "--db", cli.db, "--now", "2026-11-09T09:00:00Z"});
  auto frozen = cli.json({"review", "agenda", "--db", cli.db, "--month", "2026-11"});
  CHECK(frozen.at("frozen") == true);
  CHECK(frozen.at("frozen_at") == "2026-11-06T14:00:00Z");
  CHECK(frozen.at("lost_customers").at("count") == 3);
  auto relive = cli.json({"review", "agenda", "--db", cli.db, "--month", "2026-11", "--live"});
  CHECK(relive.at("lost_customers").at("count") == 4);

  std::string md = cli.ok({"review", "agenda", "--db", cli.db, "--month", "2026-11"});
  CHECK(md.find("# Loss review 2026-11 — Acme Analytics GmbH") != std::string::npos);
  CHECK(md.find("Agenda frozen at 2026-11-06T14:00:00Z.") != std::string::npos);
  CHECK(md.find("## 1. Customers lost (3, arr 125,000)") != std::string::npos);
  std::string csv = cli.ok({"review", "agenda", "--db", cli.db, "--month", "2026-11", "--format", "csv"});
  CHECK(csv.find("lost_segment,smb,") != std::string::npos);

  // Mark a loss case reviewed at the meeting: recorded in its history.
  std::string loss_id;
  for (const auto& seg : frozen.at("lost_customers").at("by_segment").as_array()) {
    for (const auto& l : seg.at("lost").as_array()) {
      if (l.at("customer_id") == "S1") loss_id = std::to_string(l.at("case_id").as_int64());
    }
  }
  REQUIRE_FALSE(loss_id.empty());
  std::string marked = cli.ok({"review", "mark", loss_id, "--db", cli.db, "--month", "2026-11",
                               "--as", "ines.ops", "--notes", "billing again", "--now",
                               "2026-11-10T14:30:00Z"});
  CHECK(marked.find("marked reviewed at the 2026-11 loss review") != std::string::npos);
  auto shown = cli.json({"cases", "show", loss_id, "--db", cli.db});
  CHECK(shown.at("history").as_array().back().at("event") == "reviewed");
  auto refused = cli.run({"review", "mark", loss_id, "--db", cli.db, "--month", "2026-11", "--as",
                          "lena.owner"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("may not mark cases reviewed") != std::string::npos);
}

TEST_CASE("Review.AgendaOverHttp") {
  Cli cli;
  cli.init("2026-10-12T08:00:00Z");
  cli.ok({"import", "churn", cli.write("c.csv", kChurn), "--db", cli.db, "--now",
          "2026-10-12T09:00:00Z"});
  const std::string ops = token_for(cli, "jonas.ops");
  const std::string exec = token_for(cli, "clara.ceo");
  const std::string owner = token_for(cli, "lena.owner");
  Server server(cli);
  HttpClient c(server.port());
  auto r = c.get("/v1/reviews/2026-11/agenda?live=true", exec);
  REQUIRE(r.status == 200);
  CHECK(r.json().at("lost_customers").at("count") == 3);
  auto md = c.get("/v1/reviews/2026-11/agenda?format=md", ops);
  CHECK(md.status == 200);
  CHECK(md.headers["content-type"] == "text/markdown; charset=utf-8");
  CHECK(md.body.find("## 1. Customers lost (3") != std::string::npos);
  CHECK(c.get("/v1/reviews/2026-11/agenda", owner).status == 403);
  CHECK(c.get("/v1/reviews/11-2026/agenda", ops).status == 400);
  auto case_id = r.json().at("loss_cases").at("cases").at(0).at("id").as_int64();
  auto marked = c.post("/v1/reviews/2026-11/reviewed",
                       "{\"case_id\": " + std::to_string(case_id) + "}", ops);
  CHECK(marked.status == 200);
  CHECK(marked.json().at("history").as_array().back().at("event") == "reviewed");
  CHECK(c.post("/v1/reviews/2026-11/reviewed", "{\"case_id\": 1}", exec).status == 403);
}

}  // namespace turnaround::testing

namespace turnaround::testing {

// The agenda's top-five section: the open issues with their status, frozen
// with the rest of the agenda at the cut-off, in every format.
TEST_CASE("Review.AgendaListsTheTopFiveIssues") {
  Cli cli;
  cli.init("2026-10-12T08:00:00Z");
  auto billing = cli.json({"issue", "open", "--theme", "billing", "--as", "ines.ops", "--db", cli.db,
                           "--now", "2026-10-13T08:00:00Z"});
  const std::int64_t billing_id = billing.at("id").as_int64();
  auto live = cli.json({"review", "agenda", "--db", cli.db, "--month", "2026-11", "--now",
                        "2026-10-20T08:00:00Z"});
  const auto& issues = live.at("top_issues").as_array();
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].at("id").as_int64() == billing_id);
  CHECK(issues[0].at("theme") == "billing");
  CHECK(issues[0].at("segment") == "");
  CHECK(issues[0].at("state") == "root_cause");
  CHECK(issues[0].at("owner") == "ines.ops");
  CHECK(issues[0].at("overdue") == false);
  CHECK(issues[0].at("fell").is_null());  // no action yet

  // Frozen at the cut-off; an issue opened later is only in the live view.
  cli.ok({"tick", "--db", cli.db, "--now", "2026-11-06T14:00:00Z"});
  cli.ok({"issue", "open", "--theme", "delivery", "--as", "ines.ops", "--db", cli.db, "--now",
          "2026-11-07T08:00:00Z"});
  auto frozen = cli.json({"review", "agenda", "--db", cli.db, "--month", "2026-11", "--now",
                          "2026-11-07T09:00:00Z"});
  CHECK(frozen.at("frozen") == true);
  CHECK(frozen.at("top_issues").as_array().size() == 1);
  auto relive = cli.json({"review", "agenda", "--db", cli.db, "--month", "2026-11", "--live",
                          "--now", "2026-11-07T09:00:00Z"});
  CHECK(relive.at("top_issues").as_array().size() == 2);

  const std::string id = "#" + std::to_string(billing_id);
  std::string md = cli.ok({"review", "agenda", "--db", cli.db, "--month", "2026-11"});
  CHECK(md.find("## 10. Top-five issues") != std::string::npos);
  CHECK(md.find(id) != std::string::npos);
  std::string csv = cli.ok({"review", "agenda", "--db", cli.db, "--month", "2026-11", "--format", "csv"});
  CHECK(csv.find("top_issue,billing," + std::to_string(billing_id) + ",") != std::string::npos);
  std::string html = cli.ok({"review", "agenda", "--db", cli.db, "--month", "2026-11", "--format", "html"});
  CHECK(html.find("Top-five issues") != std::string::npos);
}

}  // namespace turnaround::testing
