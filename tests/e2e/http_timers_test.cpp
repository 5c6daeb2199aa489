// Timers fire inside the running server, on the system clock: cases
// imported by the CLI with an old --now have every timer past due, so the
// server must catch up on start, notice timers another process creates
// while it runs, and share the work with a concurrent CLI `tick` without
// firing any timer twice.
#include <SQLiteCpp/Database.h>

#include <chrono>
#include <thread>

#include "tests/e2e/http_server.h"
#include "tests/support/changed_config.h"

namespace turnaround::testing {
namespace {

using namespace std::chrono_literals;

// Timestamps long before any machine running these tests: every timer of
// these cases is due by the real clock.
constexpr const char* kOld = "2024-01-08T08:00:00Z";

// N detractor responses (smb, a customer each) as CSV.
std::string responses_csv(int n, const std::string& prefix) {
  std::string csv = "response_id,customer_id,customer_name,segment,arr,score,comment,responded_at\n";
  for (int i = 0; i < n; ++i) {
    csv += prefix + std::to_string(i) + ",C" + prefix + std::to_string(i) + ",Customer " + std::to_string(i) +
           ",smb,5000," + std::to_string(i % 7) + ",slow,2024-01-05T09:00:00Z\n";
  }
  return csv;
}

std::int64_t pending_timers(const std::string& db) {
  SQLite::Database d(db, SQLite::OPEN_READONLY);
  return d.execAndGet("SELECT count(*) FROM timers WHERE status = 'pending'").getInt64();
}

template <typename P>
bool eventually(P pred, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return pred();
}

TEST_CASE("HttpTimers.ServerCatchesUpOnStart") {
  Cli cli;
  cli.init(kOld);
  cli.ok({"import", "responses", cli.write("r.csv", responses_csv(20, "R")), "--db", cli.db, "--now", kOld});
  REQUIRE(pending_timers(cli.db) > 0);
  const std::string ops = token_for(cli, "ines.ops");
  Server server(cli);
  CHECK(eventually([&] { return pending_timers(cli.db) == 0; }, 10s));
  HttpClient c(server.port());
  auto shown = c.get("/v1/cases/1", ops).json();
  bool missed = false;
  for (const auto& h : shown.at("history").as_array()) missed = missed || h.at("event") == "deadline_missed";
  CHECK(missed);
  auto metrics = c.get("/metrics", ops);
  CHECK(metrics.body.find("turnaround_timers_pending 0") != std::string::npos);
  CHECK(metrics.body.find("turnaround_timers_fired_total 0") == std::string::npos);
  CHECK(server.stop() == 0);
}

TEST_CASE("HttpTimers.TimersCreatedByAnotherProcessFireWhileServing") {
  Cli cli;
  cli.init(kOld);
  // A short max sleep: the server cannot be poked by another process, so
  // it notices the CLI's timers at its next look.
  Server server(cli, {"--timer-max-sleep", "0.5"});
  cli.ok({"import", "responses", cli.write("r.csv", responses_csv(10, "L")), "--db", cli.db, "--now", kOld});
  CHECK(eventually([&] { return pending_timers(cli.db) == 0; }, 10s));
  CHECK(server.stderr_text().find("\"event\":\"tick\"") != std::string::npos);
  CHECK(server.stop() == 0);
}

// `turnaround init` stores a new workflow version while the server runs, and
// the CLI opens a case on it: the server switches to the new configuration
// (it looks every second), fires the case's timers and works the case. Before
// it did, the first such timer stalled every tick and writes to the case
// failed with 500.
TEST_CASE("HttpTimers.ServerPicksUpAConfigurationInstalledWhileServing") {
  Cli cli;
  cli.init(kOld);
  const std::string ops = token_for(cli, "ines.ops");
  Server server(cli, {"--timer-max-sleep", "0.5"});
  TempDir config;
  write_acme_with_shorter_callback(config);
  const std::string installed =
      cli.ok({"init", "--db", cli.db, "--config", config.path().string(), "--now", kOld});
  REQUIRE(installed.find("detractor-followup v2") != std::string::npos);
  cli.ok({"import", "responses", cli.write("r.csv", responses_csv(1, "V")), "--db", cli.db, "--now", kOld});
  CHECK(eventually(
      [&] { return server.stderr_text().find("switched to configuration 2") != std::string::npos; },
      10s));
  CHECK(eventually([&] { return pending_timers(cli.db) == 0; }, 10s));
  HttpClient c(server.port());
  const auto shown = c.get("/v1/cases/1", ops).json();
  CHECK(shown.at("workflow_version") == 2);
  const auto assigned =
      c.post("/v1/cases/1/assign",
             R"({"owner":"eva.owner","version":)" + std::to_string(shown.at("version").as_int64()) + "}",
             ops);
  CHECK(assigned.status == 200);
  // A tick between the import and the switch may fail; none after it.
  const std::string log = server.stderr_text();
  const auto last_failure = log.rfind("tick_failed");
  CHECK((last_failure == std::string::npos || last_failure < log.find("switched to configuration 2")));
  CHECK(server.stop() == 0);
}

TEST_CASE("HttpTimers.CliTickWhileServingFiresEachTimerOnce") {
  Cli cli;
  cli.init(kOld);
  cli.ok({"import", "responses", cli.write("r.csv", responses_csv(1500, "T")), "--db", cli.db, "--now", kOld});
  std::int64_t total_timers = 0;
  {
    SQLite::Database d(cli.db, SQLite::OPEN_READONLY);
    total_timers = d.execAndGet("SELECT count(*) FROM timers").getInt64();
  }
  const std::string ops = token_for(cli, "ines.ops");
  // The CLI tick and the server's catch-up race for the same timers.
  pid_t tick = spawn_process({TURNAROUND_BIN, "tick", "--db", cli.db, "--format", "json"},
                             cli.dir.file("tick.out"), cli.dir.file("tick.err"));
  Server server(cli);
  REQUIRE(wait_exit(tick) == 0);
  CHECK(eventually([&] { return pending_timers(cli.db) == 0; }, 20s));
  const auto cli_fired = boost::json::parse(slurp(cli.dir.file("tick.out"))).at("fired").as_int64();
  SQLite::Database d(cli.db, SQLite::OPEN_READONLY);
  const auto fired_rows = d.execAndGet("SELECT count(*) FROM timers WHERE status = 'fired'").getInt64();
  // The server counts a tick when its last batch has committed: wait for it.
  HttpClient c(server.port());
  std::int64_t server_fired = -1;
  eventually(
      [&] {
        const std::string metrics = c.get("/metrics", ops).body;
        const std::string key = "\nturnaround_timers_fired_total ";
        const auto at = metrics.find(key);
        REQUIRE(at != std::string::npos);
        server_fired = std::stoll(metrics.substr(at + key.size()));
        return cli_fired + server_fired == fired_rows;
      },
      10s);
  INFO("cli fired " << cli_fired << ", server fired " << server_fired);
  CHECK(server.stop() == 0);
  // Every fired timer was fired by exactly one of the two processes...
  CHECK(cli_fired + server_fired == fired_rows);
  CHECK(fired_rows > total_timers / 2);
  // ...and left exactly one trace: no deadline was found missed twice.
  const auto doubled = d.execAndGet(
                            "SELECT count(*) FROM (SELECT case_id, data FROM case_history "
                            "WHERE event = 'deadline_missed' GROUP BY case_id, data HAVING count(*) > 1)")
                           .getInt64();
  CHECK(doubled == 0);
}

}  // namespace
}  // namespace turnaround::testing
