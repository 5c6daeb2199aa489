// SqliteStore only: durability across reopen, migrations and user_version,
// WAL, busy handling with a second connection, index use of the hot
// queries, and the error mapping.

#include "storage/sqlite_store.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/migrations.h"
#include "storage/sqlite_errors.h"
#include "storage/statements.h"
#include "tests/storage/store_test_util.h"

namespace turnaround::testing {
namespace {

using storage::SqliteOptions;
using storage::SqliteStore;

TEST_CASE("Sqlite.ReopenKeepsEverything") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  CaseId id;
  {
    auto store = must(SqliteStore::open(path));
    write(*store, [&](Transaction& t) {
      CHECK(must(t.insert_response(sample_response("r1", "acme", 2), at("2026-03-02T10:00:00Z"))));
      Case c = sample_case("acme");
      c.history = {{at("2026-03-02T10:00:00Z"), "opened", "", "new", "system", {}}};
      id = must(t.insert_case(c));
      must(t.insert_timer(sample_timer(id, "d", "2026-03-04T00:00:00Z")));
      must(t.set_counter("n", 9));
      must(t.put_setting("k", "v"));
    });
  }
  auto store = must(SqliteStore::open(path));
  write(*store, [&](Transaction& t) {
    CHECK(!must(t.insert_response(sample_response("r1", "acme", 2), at("2026-03-02T10:00:00Z"))));
    Case c = must(t.load_case(id, true));
    CHECK(c.history.size() == 1);
    CHECK(must(t.find_open_case(CustomerId("acme"), "detractor")) == id);
    CHECK(must(t.next_timer_due()) == at("2026-03-04T00:00:00Z"));
    CHECK(must(t.get_counter("n")) == 9);
    CHECK(must(t.get_setting("k")) == std::optional<std::string>("v"));
  });
}

TEST_CASE("Sqlite.MigrationsSetUserVersionAndWal") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  { auto store = must(SqliteStore::open(path)); }
  SQLite::Database db(path);
  CHECK(storage::latest_schema_version() >= 1);
  CHECK(storage::schema_version(db) == storage::latest_schema_version());
  CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
  for (const char* table :
       {"customers", "responses", "churn_events", "cases", "case_history", "timers", "people",
        "counters", "notifications", "workflows", "settings"}) {
    CAPTURE(table);
    CHECK(db.tableExists(table));
  }
  // Reopening an up-to-date file changes nothing.
  { auto store = must(SqliteStore::open(path)); }
  CHECK(storage::schema_version(db) == storage::latest_schema_version());
}

TEST_CASE("Sqlite.NewerSchemaIsRefused") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  { auto store = must(SqliteStore::open(path)); }
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = " + std::to_string(storage::latest_schema_version() + 1));
  }
  auto store = SqliteStore::open(path);
  REQUIRE(!store.ok());
  CHECK(store.status().code() == StatusCode::kFailedPrecondition);
  CHECK(store.status().message().find("newer than this program knows") != std::string::npos);
}

TEST_CASE("Sqlite.MissingFileWithoutCreateIsNotFound") {
  TempDir dir;
  SqliteOptions options;
  options.create_if_missing = false;
  auto store = SqliteStore::open(dir.file("absent.db"), options);
  CHECK(store.status().code() == StatusCode::kNotFound);
}

TEST_CASE("Sqlite.NotADatabaseIsInternal") {
  TempDir dir;
  const std::string path = dir.file("junk.db");
  std::ofstream(path) << "this is not a database file, just some text that is long enough";
  auto store = SqliteStore::open(path);
  CHECK(store.status().code() == StatusCode::kInternal);
}

TEST_CASE("Sqlite.BusyWriterGivesUnavailableAfterTimeout") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  SqliteOptions options;
  options.busy_timeout_ms = 150;
  auto store = must(SqliteStore::open(path, options));
  write(*store, [&](Transaction& t) { must(t.set_counter("n", 1)); });

  // Another connection (as another process would) holds the write lock.
  SQLite::Database other(path, SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");
  other.exec("UPDATE counters SET value = 2 WHERE key = 'n'");

  const auto start = std::chrono::steady_clock::now();
  auto txn = store->begin(TxnMode::kWrite);
  const auto waited = std::chrono::steady_clock::now() - start;
  REQUIRE(!txn.ok());
  CHECK(txn.status().code() == StatusCode::kUnavailable);
  CHECK(waited >= std::chrono::milliseconds(100));

  // Readers are not blocked by the writer (WAL), and see the last commit.
  read(*store, [&](Transaction& t) { CHECK(must(t.get_counter("n")) == 1); });

  other.exec("COMMIT");
  write(*store, [&](Transaction& t) { CHECK(must(t.get_counter("n")) == 2); });
}

TEST_CASE("Sqlite.TwoStoresOnOneFile") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  auto a = must(SqliteStore::open(path));
  auto b = must(SqliteStore::open(path));
  write(*a, [&](Transaction& t) { must(t.set_counter("n", 3)); });
  read(*b, [&](Transaction& t) { CHECK(must(t.get_counter("n")) == 3); });
}

// With automatic checkpoints off (as the server's writer), commits leave
// their pages in the WAL until checkpoint() copies them; every commit is
// readable either way.
TEST_CASE("Sqlite.CheckpointCopiesTheWal") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  SqliteOptions manual;
  manual.wal_autocheckpoint_pages = 0;
  auto writer = must(SqliteStore::open(path, manual));
  auto other = must(SqliteStore::open(path, manual));
  for (int i = 0; i < 50; ++i) {
    write(*writer, [&](Transaction& t) { must(t.set_counter("n" + std::to_string(i), i)); });
  }
  // Nothing checkpointed yet: the WAL holds a frame per commit at least.
  CHECK(std::filesystem::file_size(path + "-wal") > 50 * 4096);
  CHECK(must(other->checkpoint()) == 0);  // everything copied, from another connection
  read(*other, [&](Transaction& t) { CHECK(must(t.get_counter("n49")) == 49); });
  // The WAL is reused from its start by the next commit: it stops growing.
  const auto size = std::filesystem::file_size(path + "-wal");
  for (int i = 0; i < 50; ++i) {
    write(*writer, [&](Transaction& t) { must(t.set_counter("m" + std::to_string(i), i)); });
    CHECK(must(writer->checkpoint()) == 0);
  }
  CHECK(std::filesystem::file_size(path + "-wal") == size);
  read(*writer, [&](Transaction& t) { CHECK(must(t.get_counter("m49")) == 49); });
}

// A newer binary migrating the file under a running one (a server left
// running during an upgrade): the running store refuses to write rather than
// write rows as the old schema means them, and still reads.
TEST_CASE("Sqlite.WritesStopWhenAnotherProcessMigratesTheFile") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  auto store = must(SqliteStore::open(path));
  write(*store, [&](Transaction& t) { must(t.set_counter("n", 1)); });
  {
    SQLite::Database other(path, SQLite::OPEN_READWRITE);
    other.exec("PRAGMA user_version = " + std::to_string(storage::latest_schema_version() + 1));
  }
  auto txn = store->begin(TxnMode::kWrite);
  REQUIRE_FALSE(txn.ok());
  CHECK(txn.status().code() == StatusCode::kFailedPrecondition);
  CHECK(txn.status().message().find("schema version is " +
                                    std::to_string(storage::latest_schema_version() + 1)) !=
        std::string::npos);
  read(*store, [&](Transaction& t) { CHECK(must(t.get_counter("n")) == 1); });
  // The refused transaction left no lock behind: another connection writes.
  SQLite::Database other(path, SQLite::OPEN_READWRITE);
  other.exec("PRAGMA user_version = " + std::to_string(storage::latest_schema_version()));
  write(*store, [&](Transaction& t) { must(t.set_counter("n", 2)); });
  read(*store, [&](Transaction& t) { CHECK(must(t.get_counter("n")) == 2); });
}

TEST_CASE("Sqlite.MemoryDatabase") {
  auto store = must(SqliteStore::open(":memory:"));
  write(*store, [&](Transaction& t) { must(t.set_counter("n", 3)); });
  read(*store, [&](Transaction& t) { CHECK(must(t.get_counter("n")) == 3); });
}

// The hot queries must use their indexes, not scan tables.
TEST_CASE("Sqlite.HotQueriesUseIndexes") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  { auto store = must(SqliteStore::open(path)); }
  SQLite::Database db(path);
  auto plan = [&](const std::string& sql) {
    SQLite::Statement q(db, "EXPLAIN QUERY PLAN " + sql);
    std::string out;
    while (q.executeStep()) out += q.getColumn(3).getString() + "; ";
    return out;
  };
  using storage::Sql;
  CHECK(plan(storage::sql_text(Sql::kDueTimers)).find("timers_pending_due") != std::string::npos);
  CHECK(plan(storage::sql_text(Sql::kNextTimerDue)).find("timers_pending_due") !=
        std::string::npos);
  CHECK(plan(storage::sql_text(Sql::kCaseTimers)).find("timers_pending_by_case") !=
        std::string::npos);
  CHECK(plan(storage::sql_text(Sql::kFindOpenCase)).find("cases_by_customer") != std::string::npos);
  // The statements of every ingested response and every case read neither
  // scan nor sort (a temporary B-tree is built and torn down on each call).
  for (Sql s : {Sql::kFindOpenCase, Sql::kFindCustomer, Sql::kLoadCase, Sql::kLoadHistory,
                Sql::kInsertHistory, Sql::kCaseResponses, Sql::kFindTokenPerson}) {
    const std::string p = plan(storage::sql_text(s));
    CAPTURE(storage::sql_text(s));
    CHECK(p.find("TEMP B-TREE") == std::string::npos);
    CHECK(p.find("SCAN") == std::string::npos);
  }
  // A case's history is one range of its table (migration 10).
  CHECK(plan(storage::sql_text(Sql::kLoadHistory)).find("SEARCH case_history USING PRIMARY KEY (case_id=?)") !=
        std::string::npos);
  CHECK(plan(storage::sql_text(Sql::kOpenCaseCounts)).find("cases_by_owner") != std::string::npos);
  // The counts visit only open cases: a range (owner=?, closed_at IS NULL).
  CHECK(plan(storage::sql_text(Sql::kOpenCaseCounts)).find("(owner=? AND closed_at=?)") !=
        std::string::npos);
  // Authentication: the token by its key, then the person by theirs.
  const std::string auth = plan(storage::sql_text(Sql::kFindTokenPerson));
  CHECK(auth.find("SCAN") == std::string::npos);
  CHECK(auth.find("sqlite_autoindex_tokens_1") != std::string::npos);
  CHECK(auth.find("sqlite_autoindex_people_1") != std::string::npos);
  CaseFilter overdue;
  overdue.overdue_at = at("2026-03-01T00:00:00Z");
  CHECK(plan(storage::list_cases_sql(overdue)).find("cases_overdue") != std::string::npos);
  CaseFilter queue;
  queue.queue = "ops_lead";
  CHECK(plan(storage::list_cases_sql(queue)).find("cases_claimable") != std::string::npos);
}

// update_case writes only the columns that differ from the stored row (a
// full-row UPDATE rewrites every index entry of the case): a trigger per
// column, added behind the store's back, logs which ones an UPDATE sets.
TEST_CASE("Sqlite.UpdateCaseWritesOnlyTheChangedColumns") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  auto store = must(SqliteStore::open(path));
  const std::vector<std::string> columns = {
      "workflow", "workflow_version", "state", "owner", "queue", "priority", "customer_id",
      "customer_name", "segment", "arr", "score", "responses", "responded_at", "opened_at",
      "state_entered_at", "closed_at", "version", "data", "deadlines", "overdue_since", "themes",
      "first_contact_at"};
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec("CREATE TABLE set_columns (name TEXT NOT NULL)");
  for (const std::string& c : columns) {
    db.exec("CREATE TRIGGER log_" + c + " AFTER UPDATE OF " + c +
            " ON cases BEGIN INSERT INTO set_columns VALUES ('" + c + "'); END");
  }
  auto logged = [&] {
    SQLite::Statement q(db, "SELECT group_concat(name, ' ') FROM (SELECT name FROM set_columns ORDER BY name)");
    q.executeStep();
    std::string out = q.getColumn(0).getString();
    db.exec("DELETE FROM set_columns");
    return out;
  };
  Case c = sample_case("acme");
  c.deadlines = {deadline("callback", "2026-03-04T10:00:00Z")};
  write(*store, [&](Transaction& t) { c.id = must(t.insert_case(c)); });
  CHECK(logged().empty());

  // Loaded, then one field changed.
  write(*store, [&](Transaction& t) {
    Case k = must(t.load_case(c.id, false));
    k.state = "contacted";
    k.version = 2;
    must(t.update_case(k, 1));
  });
  CHECK(logged() == "state version");

  // Updated twice in one transaction without a load (the stored row is
  // read, then remembered): each UPDATE sets what changed since the last.
  Case k = c;
  k.state = "contacted";
  k.version = 2;
  write(*store, [&](Transaction& t) {
    k.owner = PersonId("li");
    k.version = 3;
    must(t.update_case(k, 2));
    k.deadlines[0].due_at = at("2026-03-05T10:00:00Z");  // so does overdue_since
    k.version = 4;
    must(t.update_case(k, 3));
  });
  CHECK(logged() == "deadlines overdue_since owner version version");

  // Every column changed: all 22 are set, each bound to its own value.
  Case all;
  all.id = c.id;
  all.workflow = "loss-followup";
  all.workflow_version = 2;
  all.state = "closed";
  all.owner = PersonId("mo");
  all.queue = "exec";
  all.priority = Priority::kUrgent;
  all.customer_id = CustomerId("globex");
  all.customer_name = "Globex";
  all.segment = "smb";
  all.arr = 1234.5;
  all.score = 6;
  all.responses = {ResponseId("r-1"), ResponseId("r-2")};
  all.responded_at = at("2026-03-05T09:00:00Z");
  all.opened_at = at("2026-03-05T10:00:00Z");
  all.state_entered_at = at("2026-03-06T10:00:00Z");
  all.closed_at = at("2026-03-07T10:00:00Z");
  all.version = 5;
  all.data = {{"outcome", Value(std::string("saved"))}};
  all.themes = {"billing"};
  all.first_contact_at = at("2026-03-05T11:00:00Z");
  write(*store, [&](Transaction& t) { must(t.update_case(all, 4)); });
  std::vector<std::string> sorted = columns;
  std::sort(sorted.begin(), sorted.end());
  std::string every;
  for (const std::string& name : sorted) every += (every.empty() ? "" : " ") + name;
  CHECK(logged() == every);
  read(*store, [&](Transaction& t) {
    Case loaded = must(t.load_case(c.id, false));
    CHECK(case_string(loaded) == case_string(all));
  });
  SQLite::Statement q(db, "SELECT overdue_since IS NULL FROM cases");
  REQUIRE(q.executeStep());
  CHECK(q.getColumn(0).getInt() == 1);
}

// Each response of a case points back at it (responses.case_id), also the
// ones an update adds; the ones already listed are not written again.
TEST_CASE("Sqlite.UpdateCaseLinksTheResponsesItAdds") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  auto store = must(SqliteStore::open(path));
  Case c = sample_case("acme");  // lists r-acme
  write(*store, [&](Transaction& t) {
    for (const char* id : {"r-acme", "r-2", "r-3"}) {
      CHECK(must(t.insert_response(sample_response(id, "acme", 2), at("2026-03-02T10:00:00Z"))));
    }
    c.id = must(t.insert_case(c));
  });
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  auto links = [&] {
    SQLite::Statement q(db, "SELECT group_concat(response_id || '=' || coalesce(case_id, '-'), ' ') "
                            "FROM (SELECT * FROM responses ORDER BY response_id)");
    q.executeStep();
    return q.getColumn(0).getString();
  };
  const std::string id = std::to_string(c.id.value);
  CHECK(links() == "r-2=- r-3=- r-acme=" + id);
  // Behind the store's back: an update that does not add r-acme must not
  // write its link again.
  db.exec("UPDATE responses SET case_id = NULL WHERE response_id = 'r-acme'");
  Case k;
  write(*store, [&](Transaction& t) {
    k = must(t.load_case(c.id, false));
    k.responses.push_back(ResponseId("r-2"));
    k.version = 2;
    must(t.update_case(k, 1));
  });
  CHECK(links() == "r-2=" + id + " r-3=- r-acme=-");
  k.responses.push_back(ResponseId("r-3"));
  k.version = 3;
  write(*store, [&](Transaction& t) { must(t.update_case(k, 2)); });  // no load: the row is read
  CHECK(links() == "r-2=" + id + " r-3=" + id + " r-acme=-");
  // An id that JSON must escape, appended (only the new tail is decoded);
  // then one put first, which is no append (the whole list is compared).
  const std::string odd = "q\",\"r";
  write(*store, [&](Transaction& t) {
    for (const std::string& r : {odd, std::string("r-4")}) {
      CHECK(must(t.insert_response(sample_response(r, "acme", 2), at("2026-03-02T10:00:00Z"))));
    }
  });
  k.responses.push_back(ResponseId(odd));
  k.version = 4;
  write(*store, [&](Transaction& t) { must(t.update_case(k, 3)); });
  CHECK(links() == "q\",\"r=" + id + " r-2=" + id + " r-3=" + id + " r-4=- r-acme=-");
  k.responses.insert(k.responses.begin(), ResponseId("r-4"));
  k.version = 5;
  write(*store, [&](Transaction& t) { must(t.update_case(k, 4)); });
  CHECK(links() == "q\",\"r=" + id + " r-2=" + id + " r-3=" + id + " r-4=" + id + " r-acme=-");
}

TEST_CASE("Sqlite.CorruptJsonColumnIsInternal") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  auto store = must(SqliteStore::open(path));
  CaseId id;
  write(*store, [&](Transaction& t) { id = must(t.insert_case(sample_case("acme"))); });
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("UPDATE cases SET data = '{\"x\": {\"nested\": 1}}'");
  }
  read(*store, [&](Transaction& t) {
    Status s = t.load_case(id, false).status();
    CHECK(s.code() == StatusCode::kInternal);
    CHECK(s.message().find("corrupt data column") != std::string::npos);
  });
}

TEST_CASE("Sqlite.ErrorsMapToStatusCodes") {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA foreign_keys=ON");
  db.exec("CREATE TABLE p (id INTEGER PRIMARY KEY, u TEXT UNIQUE)");
  db.exec("CREATE TABLE c (id INTEGER PRIMARY KEY, p INTEGER REFERENCES p (id))");
  db.exec("INSERT INTO p VALUES (1, 'a')");
  auto code_of = [&](const char* sql) {
    return storage::guarded("test",
                            [&]() -> Status {
                              db.exec(sql);
                              return Status();
                            })
        .code();
  };
  CHECK(code_of("INSERT INTO p VALUES (1, 'b')") == StatusCode::kAlreadyExists);
  CHECK(code_of("INSERT INTO p VALUES (2, 'a')") == StatusCode::kAlreadyExists);
  CHECK(code_of("INSERT INTO c VALUES (1, 42)") == StatusCode::kNotFound);
  CHECK(code_of("SELECT nonsense FROM nowhere") == StatusCode::kInternal);
  CHECK(code_of("INSERT INTO c VALUES (2, 1)") == StatusCode::kOk);
}

}  // namespace
}  // namespace turnaround::testing
