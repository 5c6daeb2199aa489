// Failure tests through the binary: malformed command lines and input files
// leave the database untouched; kill -9 in the middle of a large import loses
// and duplicates nothing once the same import runs again.
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <thread>

#include "tests/e2e/e2e_util.h"

namespace turnaround::testing {

namespace {

// A fingerprint of everything a command could change.
std::string fingerprint(const std::string& db) {
  SQLite::Database d(db, SQLite::OPEN_READONLY);
  std::string out;
  for (const char* table : {"responses", "cases", "case_history", "timers", "customers", "people",
                            "workflows", "churn_events", "notifications"}) {
    SQLite::Statement q(d, std::string("SELECT count(*) FROM ") + table);
    q.executeStep();
    out += std::string(table) + "=" + std::to_string(q.getColumn(0).getInt64()) + " ";
  }
  SQLite::Statement v(d, "SELECT coalesce(sum(version), 0) FROM cases");
  v.executeStep();
  out += "versions=" + std::to_string(v.getColumn(0).getInt64());
  return out;
}

struct BadCall {
  std::vector<std::string> args;  // {DB} is replaced by the database path
  int exit_code;
  std::string stderr_contains;
};

}  // namespace

TEST_CASE("Cli.MalformedInputLeavesDatabaseUnchanged") {
  Cli cli;
  cli.init();
  std::string good = cli.write("good.csv",
      "response_id,customer_id,customer_name,segment,arr,score,comment,responded_at\n"
      "G1,C1,Alpha,smb,5000,4,meh,2026-11-01T10:00:00Z\n");
  cli.ok({"import", "responses", good, "--db", cli.db, "--now", "2026-11-02T08:00:00Z"});
  std::string before = fingerprint(cli.db);

  std::string no_header = cli.write("no_header.csv", "R9,C9,Beta,smb,5000,4,x,2026-11-01T10:00:00Z\n");
  std::string missing_col = cli.write("missing.csv", "response_id,customer_id,score\nR9,C9,4\n");
  std::string bad_map = cli.write("bad_map.yaml", "fields:\n  score: {colum: 3}\n");
  std::string bad_wf = cli.write("bad_wf.yaml", "name: x\ninitial: a\nstates:\n  a: {transitions: [{event: go, to: nowhere}]}\n");
  std::string bad_config_dir = cli.dir.file("badcfg");
  std::filesystem::create_directories(bad_config_dir);
  cli.write("badcfg/company.yaml", "company: X\ntime_zone: Mars/Olympus\n");
  std::string jsonl = cli.write("bad.jsonl", "{\"response_id\": \"J1\", \"score\": \"ten\"}\n");

  std::vector<BadCall> calls = {
      {{"frobnicate"}, 2, "unknown command 'frobnicate'"},
      {{"cases", "list", "--db", "{DB}", "--colour"}, 2, "unknown option '--colour'"},
      {{"cases", "list"}, 2, "--db PATH (or the environment variable TURNAROUND_DB) is required"},
      {{"cases", "list", "--db", "{DB}", "--format", "xml"}, 2, "--format must be table, json or csv"},
      {{"cases", "list", "--db", "{DB}", "--limit", "-3"}, 2, "--limit must be a positive number"},
      {{"cases", "show", "abc", "--db", "{DB}"}, 2, "case id must be a positive number, not 'abc'"},
      {{"cases", "show", "999", "--db", "{DB}"}, 1, "case 999"},
      {{"cases", "fire", "1", "log_call", "--db", "{DB}"}, 2, "--as PERSON is required"},
      {{"cases", "fire", "1", "log_call", "--db", "{DB}", "--as", "eva.owner", "--set", "novalue"}, 1,
       "--set needs FIELD=VALUE"},
      {{"cases", "fire", "1", "log_call", "--db", "{DB}", "--as", "eva.owner", "--set", "mood=sad"}, 1,
       "unknown field 'mood'"},
      {{"cases", "fire", "1", "submit_proposal", "--db", "{DB}", "--as", "eva.owner"}, 1,
       "event 'submit_proposal' is not allowed in state 'callback'"},
      {{"cases", "fire", "1", "log_call", "--db", "{DB}", "--as", "noah.owner", "--set",
        "callback_notes=x", "--set", "themes=billing"}, 1, "noah.owner may not fire 'log_call'"},
      {{"cases", "fire", "1", "log_call", "--db", "{DB}", "--as", "eva.owner", "--set", "callback_notes=x"},
       1, "requires field(s): themes"},
      {{"cases", "fire", "1", "log_call", "--db", "{DB}", "--as", "eva.owner", "--version", "7", "--set",
        "callback_notes=x", "--set", "themes=billing"}, 1, "is at version 1, not 7"},
      {{"cases", "assign", "1", "noah.owner", "--db", "{DB}", "--as", "eva.owner"}, 1, "may not assign"},
      {{"cases", "claim", "1", "--db", "{DB}", "--as", "clara.ceo"}, 1, "already owned by eva.owner"},
      {{"tick", "--db", "{DB}", "--now", "yesterday"}, 2, "--now:"},
      {{"tick", "--db", "{DB}", "--now", "2026-11-02T08:00:00"}, 2, "offset"},
      {{"import", "responses", "/nonexistent/file.csv", "--db", "{DB}"}, 1, "/nonexistent/file.csv"},
      {{"import", "surveys", good, "--db", "{DB}"}, 2, "unknown import kind 'surveys'"},
      {{"import", "responses", good, "--db", "{DB}", "--format", "xlsx"}, 2, "--format must be csv or jsonl"},
      {{"import", "responses", missing_col, "--db", "{DB}"}, 1, "missing.csv:1: missing column 'responded_at' in the header"},
      {{"import", "responses", no_header, "--db", "{DB}"}, 1, "response_id"},
      {{"import", "responses", good, "--db", "{DB}", "--map", bad_map}, 1, "bad_map.yaml:2:"},
      {{"import", "responses", jsonl, "--db", "{DB}"}, 1, "bad.jsonl:1:"},
      {{"init", "--db", "{DB}", "--config", bad_config_dir}, 1, "company.yaml:2:12: unknown time zone 'Mars/Olympus'"},
      {{"validate", bad_wf}, 1, "bad_wf.yaml:4:"},
      {{"user", "add", "x", "--db", "{DB}", "--name", "X", "--role", "wizard"}, 1, "unknown role 'wizard'"},
      {{"user", "add", "x", "--db", "{DB}", "--name", "X"}, 2, "at least one --role is required"},
      {{"user", "add", "bad id", "--db", "{DB}", "--name", "X", "--role", "owner"}, 1, "person id may use"},
  };
  for (auto call : calls) {
    for (auto& a : call.args) {
      if (a == "{DB}") a = cli.db;
    }
    auto r = cli.run(call.args);
    std::string cmd;
    for (const auto& a : call.args) cmd += a + " ";
    INFO(cmd, "\nstderr: ", r.err);
    CHECK(r.exit_code == call.exit_code);
    CHECK(r.err.find(call.stderr_contains) != std::string::npos);
    CHECK(fingerprint(cli.db) == before);
  }
  // A missing database is not created by a read.
  auto missing = cli.run({"cases", "list", "--db", cli.dir.file("nope.db")});
  CHECK(missing.exit_code == 1);
  CHECK_FALSE(std::filesystem::exists(cli.dir.file("nope.db")));
}

TEST_CASE("Cli.KillDuringImportLosesAndDuplicatesNothing" * doctest::timeout(300)) {
  Cli cli;
  cli.init();
  std::string file = cli.dir.file("big.csv");
  const int rows = 200000;
  auto gen = run_process({TURNAROUND_GEN_BIN, "--seed", "7", "--responses", std::to_string(rows),
                          "--customers", "60000", "--out-responses", file, "--out-churn",
                          cli.dir.file("big-churn.csv")},
                         cli.dir.path().string());
  REQUIRE_MESSAGE(gen.exit_code == 0, gen.err);

  // Start the import with small batches and kill it once some have committed.
  pid_t pid = spawn_process({TURNAROUND_BIN, "import", "responses", file, "--db", cli.db, "--batch",
                             "2000", "--now", "2026-11-02T08:00:00Z"},
                            cli.dir.file("kill.out"), cli.dir.file("kill.err"));
  REQUIRE(pid > 0);
  std::int64_t committed = 0;
  for (int i = 0; i < 600 && committed < 20000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    try {
      SQLite::Database d(cli.db, SQLite::OPEN_READONLY);
      d.setBusyTimeout(1000);
      committed = d.execAndGet("SELECT count(*) FROM responses").getInt64();
    } catch (const std::exception&) {
    }
  }
  kill(pid, SIGKILL);
  int status = wait_exit(pid);
  CHECK(status == 128 + SIGKILL);
  SQLite::Database mid(cli.db, SQLite::OPEN_READONLY);
  std::int64_t after_kill = mid.execAndGet("SELECT count(*) FROM responses").getInt64();
  INFO("rows committed before the kill: ", after_kill);
  CHECK(after_kill > 0);
  CHECK(after_kill < rows);

  auto again = cli.run({"import", "responses", file, "--db", cli.db, "--now", "2026-11-02T09:00:00Z"});
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  auto summary = boost::json::parse(again.out);
  CHECK(summary.at("read").as_int64() == rows);
  CHECK(summary.at("duplicates").as_int64() == after_kill);

  SQLite::Database d(cli.db, SQLite::OPEN_READONLY);
  CHECK(d.execAndGet("SELECT count(*) FROM responses").getInt64() == rows);
  CHECK(d.execAndGet("SELECT count(DISTINCT response_id) FROM responses").getInt64() == rows);
  // No customer has two open cases of the same workflow, and every detractor
  // response is on a case (opened or attached): the crash opened no duplicate.
  CHECK(d.execAndGet("SELECT count(*) FROM (SELECT customer_id, workflow FROM cases WHERE closed_at IS NULL "
                     "GROUP BY customer_id, workflow HAVING count(*) > 1)").getInt64() == 0);
  std::int64_t detractors = d.execAndGet("SELECT count(*) FROM responses WHERE score <= 6").getInt64();
  std::int64_t on_cases = d.execAndGet("SELECT coalesce(sum(json_array_length(responses)), 0) FROM cases").getInt64();
  CHECK(on_cases == detractors);
}

}  // namespace turnaround::testing
