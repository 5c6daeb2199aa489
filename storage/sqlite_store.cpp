#include "storage/sqlite_store.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cassert>
#include <filesystem>

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include "storage/migrations.h"
#include "storage/sqlite_errors.h"
#include "storage/sqlite_transaction.h"
#include "storage/statements.h"
#include "storage/wal_coalescing_vfs.h"

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
    if (options.mmap_mib > 0) {
      db.exec("PRAGMA mmap_size=" + std::to_string(std::int64_t{options.mmap_mib} << 20));
    }
    db.exec("PRAGMA wal_autocheckpoint=" + std::to_string(std::max(0, options.wal_autocheckpoint_pages)));
    return Status();
  });
}

// Process-wide SQLite settings, applied once before the first connection:
// without memory statistics, SQLite's allocator takes no global mutex per
// allocation (about 5% of the CPU of a small read). sqlite3_config fails
// harmlessly (SQLITE_MISUSE) if something in the process initialised SQLite
// first; the statistics then stay on, which only costs speed.
void configure_sqlite_once() {
  static const bool done = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)done;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path,
                                                       const SqliteOptions& options) {
  if (!options.create_if_missing && !is_memory_path(path) && !std::filesystem::exists(path)) {
    return not_found("database file " + path + " does not exist");
  }
  configure_sqlite_once();
  std::unique_ptr<SQLite::Database> db;
  Status opened = guarded("open " + path, [&]() -> Status {
    // NOMUTEX: SQLite takes no mutex of its own around each call on the
    // connection. Safe because the store already serialises its connection:
    // every use happens inside a transaction holding gate_ (and open and
    // destruction happen on one thread before and after).
    int flags = SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX;
    if (options.create_if_missing) flags |= SQLite::OPEN_CREATE;
    // With synchronous=FULL every commit syncs the WAL, which is the point
    // where the WAL-coalescing VFS writes what it gathered: the commit's
    // frames then cost one write instead of two per page
    // (wal_coalescing_vfs.h).
    const std::string vfs = options.synchronous_full ? wal_coalescing_vfs() : "";
    db = std::make_unique<SQLite::Database>(path, flags, options.busy_timeout_ms, vfs);
    // Fail now, not at the first query, if the file is not a database.
    db->execAndGet("SELECT count(*) FROM sqlite_schema");
    return Status();
  });
  TA_RETURN_IF_ERROR(opened);
  TA_RETURN_IF_ERROR(configure(*db, path, options));
  TA_RETURN_IF_ERROR(migrate(*db).with_context(path));
  return std::unique_ptr<SqliteStore>(new SqliteStore(path, std::move(db), !is_memory_path(path)));
}

SqliteStore::SqliteStore(std::string path, std::unique_ptr<SQLite::Database> db, bool wal)
    : path_(std::move(path)),
      wal_(wal),
      db_(std::move(db)),
      statements_(std::make_unique<StatementCache>(*db_)),
      cache_(std::make_unique<ConnectionCache>()),
      kept_(std::make_unique<KeptRead>()) {}

SqliteStore::~SqliteStore() { end_kept_read_locked(); }

namespace {

// The address of the connection's mapping of the WAL index's first region,
// or null. Only inside a read transaction: the connection has then opened
// the WAL and mapped the region, and xShmMap (without extending) returns
// that same mapping, which stays put while the connection is open (SQLite
// maps each region once; later regions are separate mappings).
const volatile unsigned char* map_wal_index(SQLite::Database& db) {
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(db.getHandle(), "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
      !file || !file->pMethods || file->pMethods->iVersion < 2 || !file->pMethods->xShmMap) {
    return nullptr;
  }
  constexpr int kWalIndexRegionBytes = 32 * 1024;  // SQLite's WALINDEX_PGSZ
  void volatile* region = nullptr;
  if (file->pMethods->xShmMap(file, 0, kWalIndexRegionBytes, 0, &region) != SQLITE_OK) return nullptr;
  return static_cast<const volatile unsigned char*>(region);
}

// Runs a cached statement that returns no rows.
void run(StatementCache& statements, const std::string& sql) {
  StatementUse s(statements.get(sql));
  s->exec();
}

// Copies the WAL-index header at `wal_index` into `out`; false if the
// address is not known yet.
bool read_wal_header(const volatile unsigned char* wal_index,
                     std::array<unsigned char, kWalIndexHeaderBytes>& out) {
  if (!wal_index) return false;
  std::atomic_thread_fence(std::memory_order_acquire);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = wal_index[i];
  std::atomic_thread_fence(std::memory_order_acquire);
  return true;
}

}  // namespace

Result<std::unique_ptr<Transaction>> SqliteStore::begin(TxnMode mode) {
  // Waiting here is the in-process queue; waiting inside BEGIN IMMEDIATE
  // (up to the busy timeout) is the queue between processes.
  std::optional<TransactionGate::Hold> hold = gate_.enter();
  if (!hold) return internal_error(kNestedTransaction);
  end_kept_read_locked();
  return guarded("begin", [&]() -> Result<std::unique_ptr<Transaction>> {
    auto t = std::make_unique<SqliteTransaction>(std::move(*hold), *db_, *statements_, mode, *cache_);
    if (mode == TxnMode::kWrite && wal_) {
      // Under the write lock, so no migration runs until this transaction
      // ends: a newer binary (another process) may have migrated the file
      // since open(), and this one's statements would then write rows as
      // the old schema means them. (t's destructor rolls back.)
      StatementUse v(statements_->get(kPragmaUserVersion));
      v->executeStep();
      const int found = v->getColumn(0).getInt();
      if (found != latest_schema_version()) {
        return failed_precondition(
            "the database's schema version is " + std::to_string(found) + ", not " +
            std::to_string(latest_schema_version()) +
            " as when this process opened it (another turnaround migrated it); nothing was "
            "written: stop this process and start the binary that matches");
      }
    }
    return std::unique_ptr<Transaction>(std::move(t));
  });
}

Result<std::unique_ptr<Transaction>> SqliteStore::begin_kept_read() {
  if (!wal_) return begin(TxnMode::kRead);  // ":memory:": nothing to keep
  std::optional<TransactionGate::Hold> hold = gate_.enter();
  if (!hold) return internal_error(kNestedTransaction);
  // The header is read before BEGIN: a commit between the two makes the
  // snapshot newer than the mark, never older, and the next call then
  // begins afresh.
  std::array<unsigned char, kWalIndexHeaderBytes> now;
  const bool have_mark = read_wal_header(kept_->wal_index, now);
  bool reuse = false;
  if (kept_->open) {
    reuse = have_mark && now == kept_->mark;
    if (!reuse) end_kept_read_locked();
  }
  if (!reuse) {
    kept_->mark = now;
    kept_->mark_valid = have_mark;
  }
  return guarded("begin", [&]() -> Result<std::unique_ptr<Transaction>> {
    auto t = std::make_unique<SqliteTransaction>(std::move(*hold), *db_, *statements_, *cache_,
                                                 *kept_, reuse);
    if (reuse) kept_->open = false;  // the new Transaction owns it until it ends
    return std::unique_ptr<Transaction>(std::move(t));
  });
}

void SqliteStore::end_kept_read() {
  std::optional<TransactionGate::Hold> hold = gate_.enter();
  if (hold) end_kept_read_locked();
}

void SqliteStore::end_kept_read_locked() {
  kept_->open = false;
  // Under the gate no Transaction is alive, so an open SQL transaction here
  // is the kept read (or one that a failure left open): roll it back, by
  // the cached statement or, if even that fails, by sqlite3_exec.
  sqlite3* handle = db_->getHandle();
  if (sqlite3_get_autocommit(handle)) return;
  static const std::string kRollback = "ROLLBACK";
  try {
    run(*statements_, kRollback);
  } catch (const std::exception&) {
    sqlite3_exec(handle, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

Result<std::int64_t> SqliteStore::checkpoint() {
  std::optional<TransactionGate::Hold> hold = gate_.enter();
  if (!hold) return internal_error(kNestedTransaction);
  end_kept_read_locked();
  return guarded("checkpoint " + path_, [&]() -> Result<std::int64_t> {
    // One row: busy (0/1), WAL pages, pages copied (-1, -1 if not WAL).
    SQLite::Statement s(*db_, "PRAGMA wal_checkpoint(PASSIVE)");
    if (!s.executeStep()) return std::int64_t{0};
    const std::int64_t log = s.getColumn(1).getInt64();
    const std::int64_t copied = s.getColumn(2).getInt64();
    return std::max<std::int64_t>(0, log - copied);
  });
}

SqliteTransaction::SqliteTransaction(TransactionGate::Hold hold, SQLite::Database& db,
                                     StatementCache& statements, TxnMode mode,
                                     ConnectionCache& cache)
    : hold_(std::move(hold)),
      db_(db),
      statements_(statements),
      mode_(mode),
      cache_(cache),
      txn_(statements, mode) {
  if (mode == TxnMode::kWrite) cache_.token_persons.clear();
}

SqliteTransaction::SqliteTransaction(TransactionGate::Hold hold, SQLite::Database& db,
                                     StatementCache& statements, ConnectionCache& cache,
                                     KeptRead& keep, bool reuse)
    : hold_(std::move(hold)),
      db_(db),
      statements_(statements),
      mode_(TxnMode::kRead),
      cache_(cache),
      keep_(&keep),
      txn_(reuse ? SqlTransaction(statements, SqlTransaction::Adopt{})
                 : SqlTransaction(statements, TxnMode::kRead)) {}

SqliteTransaction::~SqliteTransaction() {
  // A rolled-back change of the offsets must not stay cached, and a
  // committed one is re-read (data_version does not move for our own
  // commits).
  if (zone_written_) cache_.zone_valid = false;
  if (keep_) keep_or_learn();
}

void SqliteTransaction::keep_or_learn() noexcept {
  keep_->open = false;
  // Nothing to keep unless the connection holds a snapshot (a statement
  // ran and nothing ended the transaction).
  if (sqlite3_txn_state(db_.getHandle(), "main") != SQLITE_TXN_READ) return;
  if (!keep_->wal_index) keep_->wal_index = map_wal_index(db_);
  if (!keep_->mark_valid || !keep_->wal_index) return;  // rolled back by txn_
  txn_.keep();
  keep_->open = true;
}

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
    flush_summaries();
    txn_.commit();
    committed_ = true;
    return Status();
  });
}

}  // namespace turnaround::storage
