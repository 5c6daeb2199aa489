// The summaries SqliteTransaction writes itself since migration 8
// (storage/summary_rows.cpp: response_days, timing_months, case_deadlines,
// deadline_days), through a real SQLite file: after a mixed workload they
// equal a rebuild from the base tables, the same workload gives the same
// summary rows on MemoryStore (which computes them from its containers), a
// transaction reads its own pending counts, the zone offsets are never used
// stale (rolled back, or changed by another connection), a database written
// under migration 3's triggers upgrades with its summaries intact, and
// storage::rebuild_summaries fills them after plain-SQL inserts.

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "engine/configuration.h"
#include "engine/engine.h"
#include "storage/memory_store.h"
#include "storage/migrations.h"
#include "storage/sqlite_store.h"
#include "tests/storage/store_test_util.h"
#include "tests/support/fake_clock.h"

namespace turnaround::testing {
namespace {

// Every summary table, zero-count rollup rows left out (a rollup row whose
// cases all moved elsewhere stays at 0; a rebuild does not write it).
std::string all_summaries(SQLite::Database& db) {
  return "response_days\n" +
         dump(db, "SELECT day, segment, score, responses, arr FROM response_days "
                  "WHERE responses <> 0 ORDER BY 1, 2, 3") +
         "theme_days\n" +
         dump(db, "SELECT day, theme, segment, workflow, cases, detractors, arr, detractor_arr "
                  "FROM theme_days WHERE cases <> 0 ORDER BY 1, 2, 3, 4") +
         "open_themes\n" +
         dump(db, "SELECT theme, segment, workflow, cases, detractors, arr, detractor_arr "
                  "FROM open_themes WHERE cases <> 0 ORDER BY 1, 2, 3") +
         "deadline_days\n" +
         dump(db, "SELECT day, name, workflow, owner, status, count FROM deadline_days "
                  "WHERE count <> 0 ORDER BY 1, 2, 3, 4, 5") +
         "timing_months\n" +
         dump(db, "SELECT workflow, month, segment, metric, hours, count FROM timing_months "
                  "WHERE count <> 0 ORDER BY 1, 2, 3, 4, 5") +
         "case_deadlines\n" +
         dump(db, "SELECT case_id, name, workflow, owner, due_at, status, resolved_at "
                  "FROM case_deadlines ORDER BY 1, 2") +
         "case_themes\n" +
         dump(db, "SELECT case_id, theme, segment, workflow, customer_id, arr, score, opened_at, "
                  "closed_at FROM case_themes ORDER BY 1, 2");
}

// The summaries as the store left them, and as storage::rebuild_summaries
// recomputes them from the base tables (rolled back). Returns the former.
std::string check_equal_to_rebuild(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  const std::string maintained = all_summaries(db);
  SQLite::Transaction txn(db);
  must(storage::rebuild_summaries(db));
  const std::string rebuilt = all_summaries(db);
  CHECK(maintained == rebuilt);
  // The rebuild recounted everything (its rows are the same, not missing).
  CHECK(dump(db, "SELECT count(*) > 0 FROM response_days") == "1\n");
  return maintained;
}

template <typename Row>
std::string money(const Row& r) {
  return std::to_string(std::llround(r.arr * 100));
}

// The summary rows a Store serves to the reports, whole, as text.
std::string store_summaries(Store& store, const std::vector<CaseId>& cases) {
  auto txn = must(store.begin(TxnMode::kRead));
  std::string out = "response_days\n";
  for (const auto& r : must(txn->response_days(0, 100000))) {
    out += std::to_string(r.day) + "|" + r.segment + "|" + std::to_string(r.score) + "|" +
           std::to_string(r.responses) + "|" + money(r) + "\n";
  }
  out += "theme_days\n";
  for (const auto& r : must(txn->theme_days(0, 100000, ""))) {
    out += std::to_string(r.day) + "|" + r.theme + "|" + r.segment + "|" + r.workflow + "|" +
           std::to_string(r.cases) + "|" + std::to_string(r.detractors) + "|" + money(r) + "\n";
  }
  out += "deadline_days\n";
  for (const auto& r : must(txn->deadline_days(0, 100000))) {
    out += r.name + "|" + r.workflow + "|" + r.owner.value + "|" +
           deadline_status_name(r.status) + "|" + std::to_string(r.count) + "\n";
  }
  // One day at a time too: deadline_days sums its range.
  for (LocalDay d = 20740; d < 20900; ++d) {
    for (const auto& r : must(txn->deadline_days(d, d + 1))) {
      out += std::to_string(d) + ":" + r.name + "|" + r.owner.value + "|" +
             deadline_status_name(r.status) + "|" + std::to_string(r.count) + "\n";
    }
  }
  out += "timing_months\n";
  for (const char* wf : {"detractor-followup", "loss-followup"}) {
    for (const auto& r : must(txn->timing_months(wf, 0, 100000))) {
      out += std::string(wf) + "|" + std::to_string(r.month) + "|" + r.segment + "|" + r.metric +
             "|" + std::to_string(r.hours) + "|" + std::to_string(r.count) + "\n";
    }
  }
  out += "open_themes\n";
  for (const auto& r : must(txn->open_theme_counts())) {
    out += r.theme + "|" + r.segment + "|" + r.workflow + "|" + std::to_string(r.cases) + "|" +
           money(r) + "\n";
  }
  out += "case_deadlines\n";
  for (CaseId id : cases) {
    for (const auto& r : must(txn->case_deadlines(id))) {
      out += std::to_string(r.case_id.value) + "|" + r.name + "|" + r.workflow + "|" +
             r.owner.value + "|" + format_instant(r.due_at) + "|" +
             deadline_status_name(r.status) + "|" +
             (r.resolved_at ? format_instant(*r.resolved_at) : "-") + "\n";
    }
  }
  return out;
}

Response response(int i, int customer, int score, Instant when) {
  const char* segments[] = {"smb", "mid-market", "enterprise"};
  const double arrs[] = {5000.25, 50000.5, 200000.75};
  Response r;
  r.response_id = ResponseId("r" + std::to_string(i));
  r.customer_id = CustomerId("c" + std::to_string(customer));
  r.customer_name = "Customer " + std::to_string(customer);
  r.segment = segments[customer % 3];
  r.arr = arrs[customer % 3] + customer;
  r.score = score;
  r.responded_at = when;
  return r;
}

struct WorkloadResult {
  std::vector<CaseId> cases;  // every case, opened or not by a response
  std::string closed_case_owner_at_callback;
};

// Ingest batches around local midnight and across the end of summer time,
// duplicates, attaches; themes set and changed; owners changed while
// deadlines are pending and after they were met or missed; a paused clock
// (due instants move); cases closed, unreachable and lost (a churn event:
// its cases are written without being loaded first); timers fired.
WorkloadResult run_workload(Store& store) {
  FakeClock clock(at("2026-10-31T22:30:00Z"));  // 23:30 local, the last day of October
  Diagnostics diags;
  must(install_configuration(store, source_file("examples/acme/company.yaml"), clock.now(), diags)
           .status());
  auto config = must(load_configuration(store));
  Engine engine(store, clock, config.company, config.registry);
  WorkloadResult out;

  std::vector<Numbered<Response>> batch;
  for (int i = 0; i < 70; ++i) {
    // Every 53 minutes from 24 October 20:00 UTC: across local midnights and
    // the end of summer time (25 October).
    batch.push_back({i + 1, response(i, i % 45, (i * 7) % 11,
                                     at("2026-10-24T20:00:00Z") + std::chrono::minutes(53 * i))});
  }
  std::vector<CaseId> opened;
  for (const auto& r : must(engine.ingest_responses(batch))) {
    if (r.outcome == IntakeOutcome::kOpened) opened.push_back(r.case_id);
  }
  REQUIRE(opened.size() >= 12);
  // An hour later: local 1 November (another month for timing). Duplicates
  // (not counted again), attaches to open cases, new cases.
  clock.advance(std::chrono::hours(1));
  batch.clear();
  for (int i = 60; i < 100; ++i) {
    batch.push_back({i + 1, response(i, i % 50, (i * 5) % 11,
                                     at("2026-10-31T21:00:00Z") + std::chrono::minutes(11 * i))});
  }
  for (const auto& r : must(engine.ingest_responses(batch))) {
    if (r.outcome == IntakeOutcome::kOpened) opened.push_back(r.case_id);
  }

  clock.advance(std::chrono::hours(3));
  const PersonId ops("ines.ops");
  // Case 0 goes the whole way to closed, changing owner after its callback.
  must(engine.fire_event(opened[0], "log_call", ops,
                         {{"callback_notes", Value("notes")},
                          {"themes", Value(Value::List{"billing", "communication"})}},
                         std::nullopt)
           .status());
  {
    auto txn = must(store.begin(TxnMode::kRead));
    out.closed_case_owner_at_callback = must(txn->load_case(opened[0], false)).owner.value;
  }
  must(engine.assign(opened[0], PersonId("eva.owner"), ops).status());
  clock.advance(std::chrono::hours(20));
  must(engine.fire_event(opened[0], "record_root_cause", ops,
                         {{"root_cause", Value("invoicing")},
                          {"themes", Value(Value::List{"billing"})}},
                         std::nullopt)
           .status());
  must(engine.fire_event(opened[0], "record_solutions", ops, {{"solutions", Value("refund")}},
                         std::nullopt)
           .status());
  must(engine.fire_event(opened[0], "submit_proposal", ops,
                         {{"proposal", Value("credit")}, {"budget_amendment", Value(0)}},
                         std::nullopt)
           .status());
  must(engine.fire_event(opened[0], "record_action", ops, {{"action_taken", Value("credited")}},
                         std::nullopt)
           .status());
  clock.advance(std::chrono::hours(30));
  must(engine.fire_event(opened[0], "close", ops,
                         {{"loop_notes", Value("told")}, {"customer_informed", Value(true)}},
                         std::nullopt)
           .status());
  // Themes on two more; one of them changes its themes later.
  must(engine.fire_event(opened[1], "log_call", ops,
                         {{"callback_notes", Value("n")},
                          {"themes", Value(Value::List{"delivery", "communication"})}},
                         std::nullopt)
           .status());
  must(engine.fire_event(opened[2], "log_call", ops,
                         {{"callback_notes", Value("n")}, {"themes", Value(Value::List{"pricing and value"})}},
                         std::nullopt)
           .status());
  must(engine.fire_event(opened[1], "record_root_cause", ops,
                         {{"root_cause", Value("late")}, {"themes", Value(Value::List{"delivery"})}},
                         std::nullopt)
           .status());
  // A paused clock: the callback deadline's due instant moves on return.
  must(engine.fire_event(opened[3], "wait_for_customer", ops, {{"waiting_for", Value("a date")}},
                         std::nullopt)
           .status());
  clock.advance(std::chrono::hours(50));
  must(engine.fire_event(opened[3], "customer_responded", ops, {}, std::nullopt).status());
  // Unreachable: deadlines cancelled, case closed.
  must(engine.fire_event(opened[4], "mark_unreachable", ops,
                         {{"unreachable_reason", Value("no answer")}}, std::nullopt)
           .status());
  // A pending deadline changes owner.
  must(engine.assign(opened[5], PersonId("noah.owner"), ops).status());
  // Churn: the customer's open case takes customer_lost; a loss case opens.
  {
    auto txn = must(store.begin(TxnMode::kRead));
    ChurnEvent lost;
    lost.customer_id = must(txn->load_case(opened[6], false)).customer_id;
    lost.lost_at = clock.now();
    lost.arr = 5000;
    txn.reset();
    must(engine.ingest_churn({{1, lost}}).status());
  }
  // Timers: reminders, missed deadlines, escalations.
  clock.advance(std::chrono::hours(24 * 9));
  must(engine.tick(clock.now()).status());
  // After the misses: a missed deadline keeps its owner, a pending one follows.
  must(engine.assign(opened[7], PersonId("luca.owner"), ops).status());
  must(engine.fire_event(opened[8], "log_call", ops,
                         {{"callback_notes", Value("late call")},
                          {"themes", Value(Value::List{"billing"})}},
                         std::nullopt)
           .status());
  clock.advance(std::chrono::hours(24 * 40));
  must(engine.tick(clock.now()).status());
  // New cases after it: pending deadlines at the end.
  batch.clear();
  for (int i = 100; i < 110; ++i) {
    batch.push_back({i + 1, response(i, i, 2, clock.now() - std::chrono::hours(i - 90))});
  }
  must(engine.ingest_responses(batch).status());

  auto txn = must(store.begin(TxnMode::kRead));
  CaseFilter all;
  for (const Case& c : must(txn->list_cases(all))) out.cases.push_back(c.id);
  return out;
}

TEST_CASE("SummaryRows.MixedWorkloadMatchesARebuildAndTheMemoryStore") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  auto sqlite = must(storage::SqliteStore::open(path));
  const WorkloadResult on_sqlite = run_workload(*sqlite);
  storage::MemoryStore memory;
  const WorkloadResult on_memory = run_workload(memory);
  REQUIRE(on_sqlite.cases == on_memory.cases);

  // The case rows themselves (update_case writes only changed columns).
  {
    auto a = must(sqlite->begin(TxnMode::kRead));
    auto b = must(memory.begin(TxnMode::kRead));
    for (CaseId id : on_sqlite.cases) {
      CHECK(case_string(must(a->load_case(id, true))) == case_string(must(b->load_case(id, true))));
    }
    CaseFilter overdue;
    overdue.overdue_at = at("2026-12-25T00:00:00Z");
    CHECK(must(a->list_cases(overdue)).size() == must(b->list_cases(overdue)).size());
  }
  const std::string sqlite_rows = store_summaries(*sqlite, on_sqlite.cases);
  CHECK(sqlite_rows == store_summaries(memory, on_memory.cases));
  // The workload reached every kind of row.
  for (const char* kind : {"|missed|", "|met|", "|cancelled|", "|pending|", "|close|",
                           "|first_contact|", "billing", "loss-followup"}) {
    CHECK_MESSAGE(sqlite_rows.find(kind) != std::string::npos, std::string(kind));
  }
  sqlite.reset();

  const std::string maintained = check_equal_to_rebuild(path);
  SQLite::Database db(path);
  CHECK(dump(db, "SELECT sum(responses) FROM response_days") == "110\n");
  CHECK(dump(db, "SELECT count(*) FROM responses") == "110\n");
  // The closed case's callback deadline was met under the owner it had then.
  CHECK(dump(db, "SELECT owner FROM case_deadlines WHERE case_id = " +
                     std::to_string(on_sqlite.cases[0].value) + " AND name = 'callback'") ==
        on_sqlite.closed_case_owner_at_callback + "\n");
  CHECK(on_sqlite.closed_case_owner_at_callback != "eva.owner");
  // No trigger writes these any more.
  CHECK(dump(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND (name LIKE "
                 "'responses_days%' OR name LIKE 'cases_timing%' OR name LIKE 'cases_deadlines%' "
                 "OR name LIKE 'case_deadlines_days%')") == "0\n");
  CHECK(maintained.find("customer_lost") == std::string::npos);  // not a summary key
}

TEST_CASE("SummaryRows.ATransactionReadsItsOwnPendingCounts") {
  TempDir dir;
  auto store = must(storage::SqliteStore::open(dir.file("t.db")));
  FakeClock clock(at("2026-11-02T08:00:00Z"));
  Diagnostics diags;
  must(install_configuration(*store, source_file("examples/acme/company.yaml"), clock.now(), diags)
           .status());
  auto txn = must(store->begin(TxnMode::kWrite));
  REQUIRE(must(txn->insert_response(response(1, 1, 3, at("2026-11-01T23:30:00Z")), clock.now())));
  REQUIRE(must(txn->insert_response(response(2, 4, 3, at("2026-11-01T23:40:00Z")), clock.now())));
  // Not inserted twice: no count.
  REQUIRE_FALSE(must(txn->insert_response(response(2, 4, 3, at("2026-11-01T23:40:00Z")), clock.now())));
  auto rows = must(txn->response_days(0, 100000));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].day == 20759);  // 2 November, local
  CHECK(rows[0].responses == 2);
  // More after the read: counted once each at commit.
  REQUIRE(must(txn->insert_response(response(3, 7, 3, at("2026-11-01T23:50:00Z")), clock.now())));
  must(txn->commit());
  txn.reset();
  auto read = must(store->begin(TxnMode::kRead));
  rows = must(read->response_days(0, 100000));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].responses == 3);
  // A rolled-back transaction counts nothing.
  read.reset();
  {
    auto w = must(store->begin(TxnMode::kWrite));
    REQUIRE(must(w->insert_response(response(4, 1, 3, at("2026-11-01T23:55:00Z")), clock.now())));
  }
  read = must(store->begin(TxnMode::kRead));
  CHECK(must(read->response_days(0, 100000))[0].responses == 3);
}

TEST_CASE("SummaryRows.ZoneOffsetsAreNeverUsedStale") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  auto a = must(storage::SqliteStore::open(path));
  FakeClock clock(at("2026-11-02T08:00:00Z"));
  Diagnostics diags;
  must(install_configuration(*a, source_file("examples/acme/company.yaml"), clock.now(), diags)
           .status());
  const Instant late = at("2026-11-01T23:30:00Z");  // 2 November in Berlin, 1 November in UTC
  auto insert = [&](Store& s, int i) {
    write(s, [&](Transaction& t) { REQUIRE(must(t.insert_response(response(i, 3 * i, 9, late), clock.now()))); });
  };
  auto days = [&](Store& s) {
    auto t = must(s.begin(TxnMode::kRead));
    std::string out;
    for (const auto& r : must(t->response_days(0, 100000))) {
      out += std::to_string(r.day) + ":" + std::to_string(r.responses) + " ";
    }
    return out;
  };
  insert(*a, 1);  // caches Berlin's offsets on connection a
  CHECK(days(*a) == "20759:1 ");

  // A change of offsets rolled back on a: the next count uses Berlin again.
  {
    auto t = must(a->begin(TxnMode::kWrite));
    REQUIRE(must(t->set_zone_offsets({})));  // UTC
  }
  insert(*a, 2);
  CHECK(days(*a) == "20759:2 ");

  // Another connection switches to UTC and commits: a sees it.
  {
    auto b = must(storage::SqliteStore::open(path));
    write(*b, [&](Transaction& t) { REQUIRE(must(t.set_zone_offsets({}))); });
    CHECK(days(*b) == "20758:2 ");  // the rebuild refiled both
  }
  insert(*a, 3);
  CHECK(days(*a) == "20758:3 ");

  // And a's own committed change.
  write(*a, [&](Transaction& t) {
    REQUIRE(must(t.set_zone_offsets({{Instant{}, 3600}})));
    REQUIRE(must(t.insert_response(response(4, 12, 9, late), clock.now())));
  });
  insert(*a, 5);
  CHECK(days(*a) == "20759:5 ");
  a.reset();
  check_equal_to_rebuild(path);
}

// A database written under migration 3's triggers (schema 6), upgraded: its
// summaries stay exact, and later writes by the store keep them so.
TEST_CASE("SummaryRows.UpgradeFromTheTriggersKeepsTheSummaries") {
  TempDir dir;
  const std::string path = dir.file("old.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    must(storage::migrate_to(db, 6));
  }
  // Rows through the triggers: a SQLite store of this binary cannot write
  // schema 6, so plain SQL as the old store wrote it, then the rebuild check.
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("INSERT INTO zone_offsets VALUES (0, 3600)");
    db.exec("INSERT INTO responses (response_id, customer_id, customer_name, segment, arr, score, "
            "responded_at, received_at) VALUES ('a', 'C1', 'One', 'smb', 100.5, 3, 1793575800, 0), "
            "('b', 'C2', 'Two', 'smb', 200, 10, 1793572200, 0)");
    db.exec("INSERT INTO cases (id, workflow, workflow_version, state, owner, queue, priority, "
            "customer_id, customer_name, segment, arr, score, responses, opened_at, "
            "state_entered_at, closed_at, version, deadlines, first_contact_at) VALUES (1, "
            "'detractor-followup', 1, 'callback', 'noah.owner', '', 1, 'C1', 'One', 'smb', 100.5, "
            "3, '[\"a\"]', 1793575800, 1793575800, NULL, 1, '[{\"name\":\"callback\",\"state\":"
            "\"callback\",\"due_at\":1793800000,\"status\":\"pending\",\"done\":false,"
            "\"paused_at\":null,\"resolved_at\":null}]', NULL)");
    // The owner changes, then the deadline is missed under the new one.
    db.exec("UPDATE cases SET owner = 'eva.owner', version = 2 WHERE id = 1");
    db.exec("UPDATE cases SET version = 3, deadlines = '[{\"name\":\"callback\",\"state\":"
            "\"callback\",\"due_at\":1793800000,\"status\":\"missed\",\"done\":false,"
            "\"paused_at\":null,\"resolved_at\":1793800000}]' WHERE id = 1");
    db.exec("UPDATE cases SET owner = 'luca.owner', version = 4 WHERE id = 1");
    CHECK(dump(db, "SELECT owner, status FROM case_deadlines") == "eva.owner|missed\n");
    CHECK(dump(db, "SELECT sum(responses) FROM response_days") == "2\n");
  }
  const std::string before = [&] {
    SQLite::Database db(path);
    return all_summaries(db);
  }();
  auto store = must(storage::SqliteStore::open(path));
  {
    SQLite::Database db(path);
    CHECK(storage::schema_version(db) == storage::latest_schema_version());
    CHECK(all_summaries(db) == before);  // the upgrade itself changes no summary
  }
  check_equal_to_rebuild(path);
  // The store's own writes continue the counts.
  write(*store, [&](Transaction& t) {
    REQUIRE(must(t.insert_response(response(9, 9, 2, at("2026-11-01T23:30:00Z")), at("2026-11-02T00:00:00Z"))));
    Case c = must(t.load_case(CaseId(1), false));
    c.owner = PersonId("tom.owner");
    c.deadlines.push_back({"week2_root_cause", "root_cause", at("2026-11-16T08:00:00Z"),
                           DeadlineStatus::kPending, false, std::nullopt, std::nullopt});
    c.closed_at = at("2026-11-03T08:00:00Z");
    c.version += 1;
    must(t.update_case(c, c.version - 1));
  });
  store.reset();
  const std::string after = check_equal_to_rebuild(path);
  SQLite::Database db(path);
  // The missed deadline kept its owner; the new pending one has the case's.
  CHECK(dump(db, "SELECT name, owner, status FROM case_deadlines ORDER BY name") ==
        "callback|eva.owner|missed\nweek2_root_cause|tom.owner|pending\n");
  CHECK(dump(db, "SELECT sum(responses) FROM response_days") == "3\n");
  CHECK(dump(db, "SELECT metric, count FROM timing_months WHERE count <> 0 ORDER BY metric") ==
        "close|1\nopened|1\n");

  // A resolved deadline whose resolution changes (missed -> cancelled) under
  // yet another owner still keeps the owner it was missed under.
  store = must(storage::SqliteStore::open(path));
  write(*store, [&](Transaction& t) {
    Case c = must(t.load_case(CaseId(1), false));
    c.owner = PersonId("amira.owner");
    c.deadlines[0].status = DeadlineStatus::kCancelled;
    c.deadlines.pop_back();  // and the pending one goes
    c.version += 1;
    must(t.update_case(c, c.version - 1));
  });
  store.reset();
  check_equal_to_rebuild(path);
  CHECK(dump(db, "SELECT name, owner, status FROM case_deadlines ORDER BY name") ==
        "callback|eva.owner|cancelled\n");
  CHECK(dump(db, "SELECT name, owner, status, count FROM deadline_days WHERE count <> 0") ==
        "callback|eva.owner|cancelled|1\n");
}

// Plain-SQL writers (bench/report_bench.cpp) fill the summaries with
// storage::rebuild_summaries.
TEST_CASE("SummaryRows.RebuildFillsTheSummariesAfterPlainSqlInserts") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  {
    auto store = must(storage::SqliteStore::open(path));
    Diagnostics diags;
    must(install_configuration(*store, source_file("examples/acme/company.yaml"),
                               at("2026-11-02T08:00:00Z"), diags)
             .status());
  }
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec("INSERT INTO responses (response_id, customer_id, customer_name, segment, arr, score, "
          "responded_at, received_at) VALUES ('a', 'C1', 'One', 'smb', 100, 3, 1793575800, 0)");
  db.exec("INSERT INTO cases (id, workflow, workflow_version, state, owner, queue, priority, "
          "customer_id, customer_name, segment, arr, score, responses, opened_at, "
          "state_entered_at, closed_at, version, deadlines, themes, first_contact_at) VALUES (1, "
          "'detractor-followup', 1, 'closed', 'noah.owner', '', 1, 'C1', 'One', 'smb', 100, 3, "
          "'[]', 1793575800, 1793575800, 1793600000, 3, '[{\"name\":\"callback\",\"due_at\":"
          "1793800000,\"status\":\"met\",\"resolved_at\":1793580000}]', '[\"billing\"]', "
          "1793580000)");
  CHECK(dump(db, "SELECT count(*) FROM response_days") == "0\n");
  CHECK(dump(db, "SELECT count(*) FROM case_deadlines") == "0\n");
  must(storage::rebuild_summaries(db));
  CHECK(dump(db, "SELECT day, responses FROM response_days") == "20759|1\n");
  CHECK(dump(db, "SELECT name, owner, status, resolved_at FROM case_deadlines") ==
        "callback|noah.owner|met|1793580000\n");
  CHECK(dump(db, "SELECT name, status, count FROM deadline_days") == "callback|met|1\n");
  CHECK(dump(db, "SELECT metric, hours, count FROM timing_months ORDER BY metric") ==
        "close|6|1\nfirst_contact|1|1\nopened|0|1\n");
  CHECK(dump(db, "SELECT theme, cases FROM theme_days") == "billing|1\n");  // by its trigger
  CHECK(dump(db, "SELECT theme, cases FROM open_themes WHERE cases <> 0") == "");  // closed
  // Run twice: the same.
  const std::string once = all_summaries(db);
  must(storage::rebuild_summaries(db));
  CHECK(all_summaries(db) == once);
}

}  // namespace
}  // namespace turnaround::testing
