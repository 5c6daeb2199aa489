#include "storage/sqlite_store.h"

#include <cassert>
#include <filesystem>

#include <SQLiteCpp/Database.h>

#include "storage/migrations.h"
#include "storage/sqlite_errors.h"
#include "storage/sqlite_transaction.h"
#include "storage/statements.h"

namespace turnaround::storage {

namespace {

bool is_memory_path(const std::string& path) {
  return path == ":memory:" || path.empty() || path.starts_with("file::memory:");
}

// Connection settings that are not stored in the file (all but WAL) must be
// set on every open.
Status configure(SQLite::Database& db, const std::string& path, const SqliteOptions& options) {
  return guarded("configure " + path, [&]() -> Status {
    const std::string mode = db.execAndGet(kPragmaWal).getString();
    if (mode != "wal" && !is_memory_path(path)) {
      return failed_precondition("cannot use WAL journal mode on " + path + " (got '" + mode +
                                 "'); is it on a network file system?");
    }
    db.exec(options.synchronous_full ? kPragmaSyncFull : kPragmaSyncNormal);
    db.exec(kPragmaForeignKeys);
    // A negative cache_size is in KiB.
    db.exec(std::string(kPragmaCacheSize) + "=-" + std::to_string(options.cache_mib * 1024));
    return Status();
  });
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path,
                                                       const SqliteOptions& options) {
  if (!options.create_if_missing && !is_memory_path(path) && !std::filesystem::exists(path)) {
    return not_found("database file " + path + " does not exist");
  }
  std::unique_ptr<SQLite::Database> db;
  Status opened = guarded("open " + path, [&]() -> Status {
    int flags = SQLite::OPEN_READWRITE;
    if (options.create_if_missing) flags |= SQLite::OPEN_CREATE;
    db = std::make_unique<SQLite::Database>(path, flags, options.busy_timeout_ms);
    // Fail now, not at the first query, if the file is not a database.
    db->execAndGet("SELECT count(*) FROM sqlite_schema");
    return Status();
  });
  TA_RETURN_IF_ERROR(opened);
  TA_RETURN_IF_ERROR(configure(*db, path, options));
  TA_RETURN_IF_ERROR(migrate(*db).with_context(path));
  return std::unique_ptr<SqliteStore>(new SqliteStore(path, std::move(db)));
}

SqliteStore::SqliteStore(std::string path, std::unique_ptr<SQLite::Database> db)
    : path_(std::move(path)),
      db_(std::move(db)),
      statements_(std::make_unique<StatementCache>(*db_)) {}

SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<Transaction>> SqliteStore::begin(TxnMode mode) {
  // Waiting here is the in-process queue; waiting inside BEGIN IMMEDIATE
  // (up to the busy timeout) is the queue between processes.
  std::optional<TransactionGate::Hold> hold = gate_.enter();
  if (!hold) return internal_error(kNestedTransaction);
  return guarded("begin", [&]() -> Result<std::unique_ptr<Transaction>> {
    return std::unique_ptr<Transaction>(
        std::make_unique<SqliteTransaction>(std::move(*hold), *db_, *statements_, mode));
  });
}

SqliteTransaction::SqliteTransaction(TransactionGate::Hold hold, SQLite::Database& db,
                                     StatementCache& statements, TxnMode mode)
    : hold_(std::move(hold)),
      db_(db),
      statements_(statements),
      txn_(statements, mode) {}

namespace {
// Runs a cached statement that returns no rows.
void run(StatementCache& statements, const std::string& sql) {
  StatementUse s(statements.get(sql));
  s->exec();
}
}  // namespace

SqlTransaction::SqlTransaction(StatementCache& statements, TxnMode mode) : statements_(statements) {
  static const std::string kBegin = "BEGIN";
  static const std::string kBeginImmediate = "BEGIN IMMEDIATE";
  run(statements_, mode == TxnMode::kWrite ? kBeginImmediate : kBegin);
}

SqlTransaction::~SqlTransaction() {
  if (done_) return;
  static const std::string kRollback = "ROLLBACK";
  try {
    run(statements_, kRollback);
  } catch (const std::exception&) {
    // Nothing to do: SQLite rolls back an open transaction when the
    // connection closes, and the next BEGIN would report the problem.
  }
}

void SqlTransaction::commit() {
  static const std::string kCommit = "COMMIT";
  run(statements_, kCommit);
  done_ = true;
}

Status SqliteTransaction::commit() {
  assert(!committed_ && "commit() called twice");
  return guarded("commit", [&]() -> Status {
    txn_.commit();
    committed_ = true;
    return Status();
  });
}

}  // namespace turnaround::storage
