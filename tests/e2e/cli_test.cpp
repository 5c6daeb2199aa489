// End to end through the `turnaround` binary and a real SQLite file: a
// detractor case runs its whole Week 2/3/4/6 process over seven simulated
// weeks, worked by different people, with reminders, missed deadlines and
// escalations fired by `tick`.
#include <map>

#include "tests/e2e/e2e_util.h"

namespace turnaround::testing {

namespace {

const char* kResponses =
    "response_id,customer_id,customer_name,segment,arr,score,comment,responded_at\n"
    "E1,ENT-1,Nordlicht Logistik GmbH,enterprise,300000,2,\"Billing changed, nobody told us.\",2026-10-30T10:00:00+01:00\n"
    "S1,SMB-1,Café Mokka,smb,5000,5,Support is slow,2026-10-31T09:00:00Z\n"
    "M1,MID-1,Bluefin Analytics,mid-market,50000,6,\"Hard to use, \"\"again\"\"\",2026-11-01T09:00:00Z\n"
    "P1,MID-2,Happy Co,mid-market,40000,10,Love it,2026-11-01T10:00:00Z\n";

std::map<std::string, std::string> deadline_status(const boost::json::value& c) {
  std::map<std::string, std::string> out;
  for (const auto& d : c.at("deadlines").as_array()) {
    out[str(d.at("name"))] = str(d.at("status"));
  }
  return out;
}

std::vector<std::string> events(const boost::json::value& c) {
  std::vector<std::string> out;
  for (const auto& h : c.at("history").as_array()) {
    std::string e = str(h.at("event"));
    if (h.as_object().contains("deadline")) e += "(" + str(h.at("deadline")) + ")";
    out.push_back(e);
  }
  return out;
}

}  // namespace

TEST_CASE("Cli.SevenWeeksOfAccountability") {
  Cli cli;
  cli.init();
  std::string file = cli.write("responses.csv", kResponses);
  auto imported = boost::json::parse(
      cli.ok({"import", "responses", file, "--db", cli.db, "--now", "2026-11-02T08:00:00Z"}));
  CHECK(imported.at("read").as_int64() == 4);
  CHECK(imported.at("cases_opened").as_int64() == 3);
  CHECK(imported.at("duplicates").as_int64() == 0);
  CHECK(imported.at("rejected").as_int64() == 0);
  // Case ids follow the file: E1 -> 1, S1 -> 2, M1 -> 3.
  auto e1 = cli.json({"cases", "show", "1", "--db", cli.db, "--now", "2026-11-02T08:00:00Z"});
  CHECK(str(e1.at("customer_name")) == "Nordlicht Logistik GmbH");
  CHECK(str(e1.at("priority")) == "urgent");
  CHECK(e1.at("owner").is_null());
  CHECK(str(e1.at("queue")) == "executive");
  CHECK(str(e1.at("deadlines").at(0).at("due_at")) == "2026-11-03T22:59:59Z");

  // Day by day for seven weeks: tick every morning, act on the chosen days.
  std::map<std::string, std::vector<std::vector<std::string>>> actions = {
      {"2026-11-02", {{"cases", "claim", "1", "--as", "clara.ceo"}}},
      {"2026-11-03", {{"cases", "fire", "1", "log_call", "--as", "clara.ceo", "--set",
                       "callback_notes=The billing run charged us twice; nobody called back.",
                       "--set", "themes=billing,communication"}}},
      {"2026-11-04", {{"cases", "fire", "3", "wait_for_customer", "--as", "amira.owner", "--set",
                       "waiting_for=their product owner"}}},
      {"2026-11-06", {{"cases", "fire", "3", "customer_responded", "--as", "amira.owner"}}},
      {"2026-11-10", {{"cases", "fire", "3", "log_call", "--as", "amira.owner", "--set",
                       "callback_notes=Dashboards are confusing", "--set", "themes=ease of use"}}},
      {"2026-11-13", {{"cases", "fire", "1", "record_root_cause", "--as", "lena.owner", "--set",
                       "root_cause=Invoice run double-charged annual plans"}}},
      {"2026-11-20", {{"cases", "fire", "1", "record_solutions", "--as", "lena.owner", "--set",
                       "solutions=Fix the run; refund; notify on billing changes"}}},
      {"2026-12-02", {{"cases", "fire", "1", "submit_proposal", "--as", "lena.owner", "--set",
                       "proposal=Refund and billing notice process", "--set",
                       "budget_amendment=12000"}}},
      {"2026-12-10", {{"cases", "fire", "1", "record_action", "--as", "lena.owner", "--set",
                       "action_taken=Refunded; billing change notices live"}}},
      {"2026-12-15", {{"cases", "fire", "1", "close", "--as", "lena.owner", "--set",
                       "customer_informed=true", "--set", "loop_notes=Called their CFO"}}},
  };
  std::int64_t reminders = 0, escalations = 0, fired = 0;
  for (int day = 0; day < 49; ++day) {
    Instant morning = at("2026-11-02T07:00:00Z") + std::chrono::days(day);
    auto tick = cli.json({"tick", "--db", cli.db, "--now", format_instant(morning)});
    fired += tick.at("fired").as_int64();
    reminders += tick.at("reminders").as_int64();
    escalations += tick.at("escalations").as_int64();
    std::string date = format_instant(morning).substr(0, 10);
    for (auto args : actions[date]) {
      args.insert(args.end(), {"--db", cli.db, "--now", date + "T10:00:00Z"});
      cli.ok(args);
    }
  }
  CHECK(fired > 0);
  // Reminders: E1 callback and week 4, S1 callback, M1 week 2. Escalations:
  // E1 week 4 level 1, S1 callback levels 1 and 2, M1 week 2 levels 1 and 2.
  CHECK(reminders == 4);
  CHECK(escalations == 5);
  std::string end = "2026-12-21T07:00:00Z";

  // E1: the whole process, with the Week 4 proposal late.
  e1 = cli.json({"cases", "show", "1", "--db", cli.db, "--now", end});
  CHECK(str(e1.at("state")) == "closed");
  CHECK(str(e1.at("owner")) == "lena.owner");
  CHECK(deadline_status(e1) == std::map<std::string, std::string>{
                                   {"callback", "met"},
                                   {"week2_root_cause", "met"},
                                   {"week3_solutions", "met"},
                                   {"week4_proposal", "missed"},
                                   {"week6_action", "met"},
                                   {"close_the_loop", "met"}});
  CHECK(events(e1) == std::vector<std::string>{
                          "opened", "route", "queued", "claimed", "reminder(callback)",
                          "log_call", "assigned", "record_root_cause", "record_solutions",
                          "reminder(week4_proposal)", "deadline_missed(week4_proposal)",
                          "escalated(week4_proposal)", "submit_proposal", "record_action",
                          "close"});
  auto history = e1.at("history").as_array();
  CHECK(str(history[3].at("by")) == "clara.ceo");
  CHECK(str(history[5].at("from")) == "callback");
  CHECK(str(history[5].at("to")) == "root_cause");
  CHECK(str(history[10].at("at")) == "2026-12-01T07:00:00Z");  // found missed by the next tick
  CHECK(str(history[13].at("by")) == "lena.owner");
  CHECK(e1.at("data").at("budget_amendment").as_int64() == 12000);
  CHECK(e1.at("data").at("themes").as_array().size() == 2);

  // S1: nobody called: reminder, missed, two escalation levels, priority raised.
  auto s1 = cli.json({"cases", "show", "2", "--db", cli.db, "--now", end});
  CHECK(str(s1.at("state")) == "callback");
  CHECK(str(s1.at("owner")) == "eva.owner");
  CHECK(str(s1.at("priority")) == "high");
  CHECK(deadline_status(s1) == std::map<std::string, std::string>{{"callback", "missed"}});
  CHECK(events(s1) == std::vector<std::string>{"opened", "route", "assigned", "reminder(callback)",
                                               "deadline_missed(callback)", "escalated(callback)",
                                               "escalated(callback)"});
  CHECK(s1.at("overdue").as_bool());

  // M1: the clock paused while waiting on the customer; called in time.
  auto m1 = cli.json({"cases", "show", "3", "--db", cli.db, "--now", end});
  CHECK(deadline_status(m1).at("callback") == "met");
  CHECK(str(m1.at("deadlines").at(0).at("due_at")) == "2026-11-11T22:59:59Z");
  CHECK(str(m1.at("state")) == "root_cause");
  CHECK(deadline_status(m1).at("week2_root_cause") == "missed");

  // The overdue board at the end: S1 and M1, not the closed E1.
  auto overdue = cli.json({"cases", "list", "--db", cli.db, "--overdue", "--now", end});
  std::vector<std::int64_t> ids;
  for (const auto& c : overdue.at("cases").as_array()) ids.push_back(c.at("id").as_int64());
  CHECK(ids == std::vector<std::int64_t>{2, 3});
  // Filters.
  auto owned = cli.json({"cases", "list", "--db", cli.db, "--owner", "eva.owner", "--now", end});
  CHECK(owned.at("cases").as_array().size() == 1);
  auto closed = cli.json({"cases", "list", "--db", cli.db, "--state", "closed", "--now", end});
  CHECK(closed.at("cases").as_array().size() == 1);
  auto table = cli.ok({"cases", "list", "--db", cli.db, "--now", end});
  CHECK(table.find("Café Mokka") != std::string::npos);
  CHECK(table.find("3 case(s)") != std::string::npos);

  // A second response from E1's customer after the case closed opens a new case.
  std::string more = cli.write("more.csv",
      "response_id,customer_id,customer_name,segment,arr,score,comment,responded_at\n"
      "E1-again,ENT-1,Nordlicht Logistik GmbH,enterprise,300000,6,Better but not there,2026-12-20T10:00:00Z\n"
      "S1-again,SMB-1,Café Mokka,smb,5000,3,Still nobody called,2026-12-20T10:00:00Z\n");
  auto again = boost::json::parse(cli.ok({"import", "responses", more, "--db", cli.db, "--now", end}));
  CHECK(again.at("cases_opened").as_int64() == 1);
  CHECK(again.at("attached").as_int64() == 1);
}

TEST_CASE("Cli.ImportTheExampleCompany") {
  Cli cli;
  cli.init();
  std::string dir = std::string(TURNAROUND_SOURCE_DIR) + "/examples/acme/";
  auto first = boost::json::parse(cli.ok({"import", "responses", dir + "responses.csv", "--db",
                                          cli.db, "--now", "2026-11-02T08:00:00Z"}));
  std::int64_t read = first.at("read").as_int64();
  CHECK(read > 1000);
  CHECK(first.at("rejected").as_int64() == 0);
  CHECK(first.at("cases_opened").as_int64() > 100);
  CHECK(first.at("attached").as_int64() > 0);
  auto second = boost::json::parse(cli.ok({"import", "responses", dir + "responses.csv", "--db",
                                           cli.db, "--now", "2026-11-03T08:00:00Z"}));
  CHECK(second.at("duplicates").as_int64() == read);
  CHECK(second.at("cases_opened").as_int64() == 0);
  auto churn = boost::json::parse(
      cli.ok({"import", "churn", dir + "churn.csv", "--db", cli.db, "--now", "2026-11-03T08:00:00Z"}));
  CHECK(churn.at("cases_opened").as_int64() > 0);
  // Lost customers' open detractor cases took the customer_lost exit, and are counted.
  auto lost_exits = cli.json({"cases", "list", "--db", cli.db, "--state", "customer_lost"});
  CHECK(churn.at("cases_closed").as_int64() == static_cast<std::int64_t>(lost_exits.at("cases").as_array().size()));
  auto loss = cli.json({"cases", "list", "--db", cli.db, "--workflow", "loss-followup", "--now",
                        "2026-11-03T08:00:00Z"});
  CHECK(static_cast<std::int64_t>(loss.at("cases").as_array().size()) ==
        churn.at("cases_opened").as_int64());
  auto limited = cli.json({"cases", "list", "--db", cli.db, "--limit", "5"});
  CHECK(limited.at("cases").as_array().size() == 5);
}

}  // namespace turnaround::testing

namespace turnaround::testing {

// `--help` works at every level, whatever else the line holds or lacks, and
// the hint printed with a usage error names a --help that works.
TEST_CASE("Cli.EveryCommandAnswersHelp") {
  Cli cli;
  const std::vector<std::vector<std::string>> lines = {
      {"--help"}, {"init", "--help"}, {"validate", "--help"}, {"import", "--help"},
      {"import", "responses", "--help"}, {"tick", "--help"}, {"cases", "--help"},
      {"cases", "list", "--help"}, {"cases", "show", "--help"}, {"cases", "fire", "--help"},
      {"cases", "assign", "--help"}, {"cases", "claim", "--help"}, {"user", "--help"},
      {"user", "add", "--help"}, {"user", "list", "--help"}, {"user", "token", "add", "--help"},
      {"serve", "--help"}};
  for (const auto& line : lines) {
    auto r = cli.run(line);
    std::string cmd;
    for (const auto& a : line) cmd += a + " ";
    INFO(cmd << "-> " << r.exit_code << "\n" << r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("turnaround") != std::string::npos);
    CHECK(r.err.empty());
  }
  // A usage error's hint, followed, works.
  auto bad = cli.run({"cases", "frobnicate"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("Try 'turnaround cases --help'") != std::string::npos);
}

// Every numeric option and id is read whole: "3x" or "1e3" is a usage error
// naming the option (exit 2), not 3 or 1, and nothing is written. (--version
// 1abc was read as version 1, weakening the optimistic-concurrency check.)
TEST_CASE("Cli.NumbersAreReadWhole") {
  Cli cli;
  cli.init();
  const std::string csv = cli.write("r.csv", "response_id,customer_id,customer_name,segment,arr,score,"
                                             "comment,responded_at\n");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"cases", "list", "--limit", "3x"}, "--limit must be a positive number"},
      {{"cases", "fire", "1", "log_call", "--as", "eva.owner", "--version", "1abc"},
       "--version must be a case version (a positive number)"},
      {{"cases", "show", "1x"}, "1x"},
      {{"user", "add", "zed", "--name", "Zed", "--role", "analyst", "--capacity", "5x"},
       "--capacity must be a whole number from 0 to 100000"},
      {{"review", "mark", "1x", "--month", "2026-09", "--as", "ines.ops"},
       "CASE must be a case id (a positive number), not '1x'"},
      {{"import", "responses", csv, "--batch", "1e3"},
       "--batch must be a whole number from 1 to 1000000"},
      {{"review", "schedule", "--count", "2x"}, "--count must be a whole number from 1 to 1000"},
  };
  for (const auto& [words, message] : cases) {
    std::vector<std::string> line = words;
    line.insert(line.begin() + 2, {"--db", cli.db});  // after the command's two words
    auto r = cli.run(line);
    INFO(words[0] << " " << words[1] << " -> " << r.exit_code << "\n" << r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(message) != std::string::npos);
  }
  CHECK(cli.ok({"user", "list", "--db", cli.db}).find("zed") == std::string::npos);
}

// serve validates its options before opening anything: a bad value is a
// usage error (exit 2) naming the option, and no server starts.
TEST_CASE("Cli.ServeRefusesBadOptions") {
  Cli cli;
  cli.init();
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--mmap-mib", "-1"}, "--mmap-mib must be a whole number from 0 to 1048576"},
      {{"--mmap-mib", "lots"}, "--mmap-mib must be a whole number from 0 to 1048576"},
      {{"--threads", "0"}, "--threads must be a whole number from 1 to 256"},
      // Beast holds no header field over 64 KiB: a larger limit would let one through to it.
      {{"--header-limit", "70000"}, "--header-limit must be a whole number from 256 to 65536"},
      {{"--read-timeout", "0"}, "--read-timeout must be a positive time"},
      {{"--idle-timeout", "5 minutes"}, "--idle-timeout must be a positive time"},
  };
  for (const auto& [extra, message] : cases) {
    std::vector<std::string> line = {"serve", "--db", cli.db, "--listen", "127.0.0.1:0"};
    line.insert(line.end(), extra.begin(), extra.end());
    auto r = cli.run(line);
    INFO(extra[0] << " " << extra[1] << " -> " << r.exit_code << "\n" << r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(message) != std::string::npos);
    CHECK(r.out.find("listening") == std::string::npos);
  }
}

}  // namespace turnaround::testing
