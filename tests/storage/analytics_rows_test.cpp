// The analytics summaries of the SQLite store (migration 3) through a real
// file: the trigger-maintained tables equal a rebuild from the raw rows
// after a realistic mix of writes, and a database created before migration
// 3 is backfilled on upgrade.

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "engine/configuration.h"
#include "engine/engine.h"
#include "engine/reports.h"
#include "storage/analytics_schema.h"
#include "storage/migrations.h"
#include "storage/sqlite_store.h"
#include "tests/storage/store_test_util.h"
#include "tests/support/fake_clock.h"

namespace turnaround::testing {
namespace {

std::int64_t to_unix(Instant t) { return t.time_since_epoch().count(); }

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

constexpr const char* kResponseDays =
    "SELECT day, segment, score, responses, arr FROM response_days WHERE responses > 0 "
    "ORDER BY 1, 2, 3";
constexpr const char* kThemeDays =
    "SELECT day, theme, segment, workflow, cases, detractors, arr, detractor_arr FROM theme_days "
    "WHERE cases > 0 ORDER BY 1, 2, 3, 4";
constexpr const char* kTimingMonths =
    "SELECT workflow, month, segment, metric, hours, count FROM timing_months WHERE count > 0 "
    "ORDER BY 1, 2, 3, 4, 5";
constexpr const char* kDeadlineDays =
    "SELECT day, name, workflow, owner, status, count FROM deadline_days WHERE count > 0 "
    "ORDER BY 1, 2, 3, 4, 5";

// The summaries as maintained, and as a rebuild from the raw rows computes
// them (the rebuild is rolled back).
void check_summaries_match_rebuild(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  const std::string maintained = dump(db, kResponseDays) + dump(db, kThemeDays) + dump(db, kDeadlineDays) +
                               dump(db, kTimingMonths);
  CHECK(dump(db, "SELECT count(*) FROM response_days") != "0\n");
  {
    SQLite::Transaction txn(db);
    db.exec(storage::rebuild_day_rollups_sql());
    const std::string rebuilt = dump(db, kResponseDays) + dump(db, kThemeDays) + dump(db, kDeadlineDays) +
                               dump(db, kTimingMonths);
    CHECK(maintained == rebuilt);
  }  // rolled back
  // open_themes against case_themes.
  CHECK(dump(db, "SELECT theme, segment, workflow, cases, detractors, arr, detractor_arr FROM "
                 "open_themes WHERE cases > 0 ORDER BY 1, 2, 3") ==
        dump(db, "SELECT theme, segment, workflow, count(*), sum(score <= 6), sum(arr), "
                 "sum((score <= 6) * arr) FROM case_themes WHERE closed_at IS NULL "
                 "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"));
  // case_themes and case_deadlines against the cases' own columns.
  CHECK(dump(db, "SELECT case_id, theme, segment, workflow, customer_id, arr, score, opened_at, "
                 "closed_at FROM case_themes ORDER BY 1, 2") ==
        dump(db, "SELECT c.id, j.value, c.segment, c.workflow, c.customer_id, c.arr, c.score, "
                 "c.opened_at, c.closed_at FROM cases c, json_each(c.themes) j ORDER BY 1, 2"));
  CHECK(dump(db, "SELECT case_id, name, workflow, due_at, status, resolved_at FROM case_deadlines "
                 "ORDER BY 1, 2") ==
        dump(db, "SELECT c.id, j.value ->> 'name', c.workflow, j.value ->> 'due_at', "
                 "j.value ->> 'status', j.value ->> 'resolved_at' FROM cases c, "
                 "json_each(c.deadlines) j ORDER BY 1, 2"));
}

TEST_CASE("AnalyticsRows.SummariesMatchARebuildAfterRealWrites") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  auto store = must(storage::SqliteStore::open(path));
  FakeClock clock(at("2026-11-02T08:00:00Z"));
  Diagnostics diags;
  must(install_configuration(*store, source_file("examples/acme/company.yaml"), clock.now(), diags).status());
  auto config = must(load_configuration(*store));
  Engine engine(*store, clock, config.company, config.registry);

  std::vector<Numbered<Response>> batch;
  const char* segments[] = {"smb", "mid-market", "enterprise"};
  const double arrs[] = {5000, 50000, 200000};
  for (int i = 0; i < 60; ++i) {
    Response r;
    r.response_id = ResponseId("r" + std::to_string(i));
    r.customer_id = CustomerId("c" + std::to_string(i % 40));  // some customers answer twice
    r.customer_name = "Customer " + std::to_string(i);
    r.segment = segments[i % 3];
    r.arr = arrs[i % 3];
    r.score = i % 11;
    // Around local midnight, across days.
    r.responded_at = at("2026-11-01T22:30:00Z") + std::chrono::minutes(37 * i);
    batch.push_back({i + 1, r});
  }
  auto ingested = must(engine.ingest_responses(batch));
  std::vector<CaseId> opened;
  for (const auto& r : ingested) {
    if (r.outcome == IntakeOutcome::kOpened) opened.push_back(r.case_id);
  }
  REQUIRE(opened.size() >= 10);
  // Themes set, changed and cleared; owners changed; cases closed.
  clock.set(clock.now() + std::chrono::hours(2));
  for (std::size_t i = 0; i < 6; ++i) {
    must(engine.fire_event(opened[i], "log_call", PersonId("ines.ops"),
                           {{"callback_notes", Value("notes")},
                            {"themes", Value(Value::List{i % 2 ? "billing" : "delivery", "communication"})}},
                           std::nullopt).status());
  }
  must(engine.assign(opened[0], PersonId("eva.owner"), PersonId("ines.ops")).status());
  must(engine.fire_event(opened[1], "record_root_cause", PersonId("ines.ops"),
                         {{"root_cause", Value("invoicing bug")},
                          {"themes", Value(Value::List{"billing"})}},
                         std::nullopt).status());
  must(engine.fire_event(opened[6], "mark_unreachable", PersonId("ines.ops"),
                         {{"unreachable_reason", Value("no answer")}}, std::nullopt).status());
  ChurnEvent lost;
  lost.customer_id = CustomerId("c2");
  lost.lost_at = clock.now();
  lost.arr = 5000;
  must(engine.ingest_churn({{1, lost}}).status());
  clock.set(at("2026-12-20T08:00:00Z"));
  must(engine.tick(clock.now()).status());
  store.reset();

  check_summaries_match_rebuild(path);
  SQLite::Database db(path);
  // Every response counted once; every pending/met/missed deadline filed.
  CHECK(dump(db, "SELECT sum(responses) FROM response_days") == "60\n");
  CHECK(dump(db, "SELECT count(*) FROM case_deadlines WHERE status = 'missed'") != "0\n");
  // The reassigned case's resolved callback deadline keeps the owner it was met under.
  CHECK(dump(db, "SELECT owner FROM case_deadlines WHERE case_id = " +
                     std::to_string(opened[0].value) + " AND name = 'callback'") != "eva.owner\n");
}

TEST_CASE("AnalyticsRows.MigrationBackfillsADatabaseFromBeforeMigration3") {
  TempDir dir;
  const std::string path = dir.file("old.db");
  const Instant opened = at("2026-11-02T08:00:00Z");
  const Instant called = opened + std::chrono::hours(3);
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    must(storage::migrate_to(db, 2));
    REQUIRE(storage::schema_version(db) == 2);
    SQLite::Statement set(db, "INSERT INTO settings (key, value) VALUES (?1, ?2)");
    const std::string company = source_file("examples/acme/company.yaml");
    set.bind(1, "company.source");
    set.bind(2, slurp(company));
    set.exec();
    set.reset();
    set.bind(1, "company.file");
    set.bind(2, company);
    set.exec();
    int version = 0;
    for (const char* name : {"detractor-followup", "loss-followup"}) {
      SQLite::Statement wf(db, "INSERT INTO workflows VALUES (?1, 1, ?2, ?3, ?4, 0)");
      const std::string file = source_file(std::string("workflows/") + name + ".yaml");
      wf.bind(1, name);
      wf.bind(2, "hash" + std::to_string(++version));
      wf.bind(3, slurp(file));
      wf.bind(4, file);
      wf.exec();
    }
    // 23:30 UTC on 1 November is 2 November in Berlin; 22:30 UTC is still the 1st.
    db.exec("INSERT INTO responses (response_id, customer_id, customer_name, segment, arr, score, "
            "responded_at, received_at) VALUES "
            "('late', 'C1', 'One', 'smb', 5000, 3, " + std::to_string(to_unix(at("2026-11-01T23:30:00Z"))) + ", 0), "
            "('early', 'C2', 'Two', 'smb', 5000, 10, " + std::to_string(to_unix(at("2026-11-01T22:30:00Z"))) + ", 0)");
    const std::string due1 = std::to_string(to_unix(opened + std::chrono::hours(24 * 5)));
    const std::string due2 = std::to_string(to_unix(opened + std::chrono::hours(24 * 14)));
    db.exec("INSERT INTO cases (id, workflow, workflow_version, state, owner, queue, priority, "
            "customer_id, customer_name, segment, arr, score, responses, responded_at, opened_at, "
            "state_entered_at, closed_at, version, data, deadlines) VALUES (1, "
            "'detractor-followup', 1, 'root_cause', 'noah.owner', '', 1, 'C1', 'One', 'smb', 5000, "
            "3, '[\"late\"]', NULL, " + std::to_string(to_unix(opened)) + ", " +
            std::to_string(to_unix(called)) + ", NULL, 3, "
            "'{\"callback_notes\":\"x\",\"themes\":[\"billing\",\"pricing and value\"]}', "
            "'[{\"name\":\"callback\",\"state\":\"callback\",\"due_at\":" + due1 +
            ",\"status\":\"met\",\"done\":true,\"paused_at\":null,\"resolved_at\":" +
            std::to_string(to_unix(called)) + "},{\"name\":\"week2_root_cause\",\"state\":"
            "\"root_cause\",\"due_at\":" + due2 + ",\"status\":\"pending\",\"done\":false,"
            "\"paused_at\":null,\"resolved_at\":null}]')");
    db.exec("INSERT INTO case_history (case_id, at, event, from_state, to_state, actor) VALUES "
            "(1, " + std::to_string(to_unix(opened)) + ", 'opened', '', 'triage', 'system'), "
            "(1, " + std::to_string(to_unix(called)) + ", 'log_call', 'callback', 'root_cause', 'ines.ops')");
  }

  auto store = must(storage::SqliteStore::open(path));  // migration 3
  {
    SQLite::Database db(path);
    CHECK(storage::schema_version(db) == storage::latest_schema_version());
    // Backfilled by the migration itself (no configuration needed).
    CHECK(dump(db, "SELECT name, owner, status FROM case_deadlines ORDER BY name") ==
          "callback|noah.owner|met\nweek2_root_cause|noah.owner|pending\n");
    CHECK(dump(db, "SELECT sum(responses) FROM response_days") == "2\n");
  }
  // First use with the configuration: zone offsets, themes, first contact.
  auto config = must(load_configuration(*store));
  Reports reports(*store, config.company);
  const Case c = [&] {
    auto txn = must(store->begin(TxnMode::kRead));
    return must(txn->load_case(CaseId(1), false));
  }();
  CHECK(c.themes == std::vector<std::string>{"billing", "pricing and value"});
  REQUIRE(c.first_contact_at.has_value());
  CHECK(*c.first_contact_at == called);
  CHECK(c.version == 3);  // derived columns do not bump the version

  const DayRange nov{reports.local_day(at("2026-10-31T23:00:00Z")),
                     reports.local_day(at("2026-11-30T23:00:00Z"))};
  auto days = must(reports.nps({nov, Period::kDay, false}));
  CHECK(days.rows[0].nps.promoters == 1);   // 1 November local
  CHECK(days.rows[1].nps.detractors == 1);  // 2 November local
  ThemeCaseQuery q;
  q.theme = "pricing and value";
  auto cases = must(reports.cases_with_theme(q));
  REQUIRE(cases.size() == 1);
  CHECK(cases[0].case_id == CaseId(1));
  auto card = must(reports.scorecard({nov, std::nullopt}));
  CHECK(card.overall.met == 1);
  CHECK(card.overall.pending == 1);
  auto timing = must(reports.timing({nov, std::nullopt, false}));
  CHECK(*timing.rows[0].first_contact.median_s == 3 * 3600);
  store.reset();
  check_summaries_match_rebuild(path);
}

}  // namespace
}  // namespace turnaround::testing
