// SqliteStore only: durability across reopen, migrations and user_version,
// WAL, busy handling with a second connection, index use of the hot
// queries, and the error mapping.

#include "storage/sqlite_store.h"

#include <doctest/doctest.h>

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
