#pragma once
// SqliteStore: the engine's Store (engine/store.h) over one SQLite file,
// through SQLiteCpp. The embedded default of Turnaround.
//
//   auto store = SqliteStore::open("turnaround.db");
//   if (!store.ok()) return store.status();
//   auto txn = (*store)->begin(TxnMode::kWrite);
//   ... (*txn)->insert_response(r, now) ...; (*txn)->commit();
//
// The file is opened in WAL mode with foreign keys on, and its schema is
// migrated forward on open (see migrations.cpp for the tables).
//
// Transactions: begin(kWrite) runs BEGIN IMMEDIATE, so it takes SQLite's
// write lock at once and never has to upgrade later; begin(kRead) runs a
// deferred BEGIN and reads one consistent snapshot. (Writing in a kRead
// transaction works but upgrades the lock, which can fail with
// kUnavailable if another process wrote since the snapshot: use kWrite for
// anything that writes.) Destroying a Transaction without commit() rolls it
// back.
//
// Thread-safety: a SqliteStore owns one connection and a mutex (a
// TransactionGate). begin() locks the mutex and the Transaction it returns
// holds it until it is destroyed, so transactions of one store run one at a
// time, from any number of threads (begin() blocks while another thread's
// transaction is live); this is why the connection is opened with
// SQLITE_OPEN_NOMUTEX (SQLite's own mutex per call would be redundant).
// REQUIRES: a Transaction is destroyed on the thread that began it
// (std::mutex rule). A thread that calls begin() while it
// still holds a Transaction of the same store gets kInternal (an assert in
// debug builds) rather than waiting for itself forever. To read while
// writing, open a second SqliteStore on the same file.
//
// Several processes: others (a CLI `tick` while a server runs) may use the
// same file. A writer that finds the write lock held waits up to
// busy_timeout_ms, then begin() returns kUnavailable. Readers are not blocked
// by writers in WAL mode.
//
// Errors follow engine/store.h; every SQLite failure is mapped in
// sqlite_errors.cpp. No exception escapes.

#include <cstdint>
#include <memory>
#include <string>

#include "engine/store.h"
#include "storage/transaction_gate.h"

namespace SQLite {
class Database;
}

namespace turnaround::storage {

class StatementCache;
struct ConnectionCache;
struct KeptRead;

struct SqliteOptions {
  // How long a writer waits for another connection's write lock before
  // giving up with kUnavailable. Default: 5000 ms.
  int busy_timeout_ms = 5000;
  // false (default): PRAGMA synchronous=NORMAL, which in WAL mode never
  // corrupts the file but may lose the last commits on power loss.
  // true: synchronous=FULL, durable at every commit, slower. The connection
  // then also writes each commit's WAL frames in one system call
  // (wal_coalescing_vfs.h), which is only safe because FULL syncs at commit.
  bool synchronous_full = false;
  // true (default): create the file if it does not exist. false: a missing
  // file is kNotFound.
  bool create_if_missing = true;
  // Page cache of the connection, in MiB. Default: 64 (SQLite's own default
  // of 2 MiB makes a 1,000,000-response import about 40% slower, because
  // index pages of the large tables keep being re-read).
  int cache_mib = 64;
  // WAL pages after which a commit also checkpoints (copies the WAL into the
  // database file and syncs it), on the committing thread. SQLite's default
  // is 1,000 (4 MiB), which made a bulk import or tick spend a quarter of
  // its time in checkpoints (docs/performance.md); 10,000 (40 MiB of WAL)
  // does most of that work in fewer, larger passes. 0: never on commit;
  // the owner calls checkpoint() instead (the HTTP server does, from a
  // thread of its own).
  int wal_autocheckpoint_pages = 10000;
  // Memory-mapped reads (PRAGMA mmap_size), in MiB of the database file;
  // 0 (default): off. Pages are then read from the operating system's page
  // cache in place instead of being copied into the connection's own cache,
  // so connections of one process share them. SQLite maps the file
  // read-only; an I/O error while reading a mapped page ends the process
  // (SIGBUS) instead of failing one statement.
  int mmap_mib = 0;
};

class SqliteStore final : public Store {
 public:
  // Opens (or creates) the database at `path` and migrates its schema to the
  // version this binary knows. ":memory:" gives a private in-memory database
  // (not WAL; for tests).
  //
  // Errors: kNotFound if the file is missing and !create_if_missing;
  // kFailedPrecondition if the file's schema is newer than this binary (it is
  // left untouched) or WAL cannot be enabled; kUnavailable if another
  // process holds the write lock past the busy timeout; kInternal if the
  // file cannot be opened or is not a database.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path,
                                                   const SqliteOptions& options = {});

  // REQUIRES: no Transaction of this store is still alive.
  ~SqliteStore() override;

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // See the class comment for locking. Errors: kUnavailable when another
  // connection holds the write lock past the busy timeout (kWrite only);
  // kFailedPrecondition (kWrite only) when another process has migrated the
  // file to another schema version since open(): this binary's writes
  // would not match it.
  // REQUIRES: the store outlives the returned Transaction.
  Result<std::unique_ptr<Transaction>> begin(TxnMode mode) override;

  // A read transaction for a caller that serves many short reads in a row
  // (the HTTP server's I/O threads): when the Transaction ends, the SQL
  // transaction is kept open, and the next begin_kept_read() reuses it if
  // nothing has been committed to the database since it began, by any
  // connection or process, and no checkpoint has copied frames (the start
  // of the WAL index, which every commit and such checkpoint rewrites, is
  // unchanged; it is read before BEGIN, so the snapshot is never older than
  // what it showed). Each read then still sees
  // every commit made before it began, without the cost of beginning and
  // ending a read transaction (shared-memory locks, a mutex that all of the
  // process's connections to the file share, and fcntl() calls: about a
  // sixth of the server's CPU per GET /v1/cases/{id}). Otherwise it begins
  // one, as begin(kRead).
  //
  // A kept transaction holds back checkpoints (the WAL cannot be copied
  // past its snapshot nor restarted): the caller must call end_kept_read()
  // whenever it goes idle. Every other begin() and checkpoint() on this
  // store ends it first. ":memory:" keeps nothing.
  Result<std::unique_ptr<Transaction>> begin_kept_read();
  // Ends the kept read transaction, if any. REQUIRES: the calling thread
  // holds no Transaction of this store.
  void end_kept_read();

  // Copies what it can of the WAL into the database file without waiting
  // for readers or writers (PRAGMA wal_checkpoint(PASSIVE)), through this
  // store's connection (waiting for its transaction, like begin()).
  // Returns the number of WAL pages not yet copied. Errors: kInternal.
  // REQUIRES: the calling thread holds no Transaction of this store.
  Result<std::int64_t> checkpoint();

  // The path given to open().
  const std::string& path() const { return path_; }

 private:
  SqliteStore(std::string path, std::unique_ptr<SQLite::Database> db, bool wal);
  void end_kept_read_locked();

  // Constant after construction.
  const std::string path_;
  const bool wal_;  // a file in WAL mode (not ":memory:")

  // Guarded by gate_, which the live Transaction holds. The cache is
  // declared after the connection so its statements are finalized first.
  TransactionGate gate_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<StatementCache> statements_;
  std::unique_ptr<ConnectionCache> cache_;
  std::unique_ptr<KeptRead> kept_;
};

}  // namespace turnaround::storage
