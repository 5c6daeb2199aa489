#pragma once
// ReadPoolStore: the server's Store. One SqliteStore connection takes every
// write transaction; a few more connections to the same file serve read
// transactions, so reads run in parallel with each other and with the
// writer (SQLite's WAL mode lets readers proceed during a write, each on
// the last committed snapshot).
//
// A SqliteStore runs its transactions one at a time (its gate), so one
// connection would make every GET wait for every other request. Each
// thread that begins a read is given one reader connection (round robin on
// its first read) and keeps it: with as many readers as worker threads,
// reads never wait for each other.
//
// Thread-safety: begin() from any thread; the rules of SqliteStore apply
// per connection (destroy a Transaction on the thread that began it).

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "engine/store.h"
#include "storage/sqlite_store.h"

namespace turnaround::api {

class ReadPoolStore final : public Store {
 public:
  // Opens the writer with `options` and `readers` (>= 1) reader connections
  // with a smaller page cache. Errors as SqliteStore::open.
  static Result<std::unique_ptr<ReadPoolStore>> open(const std::string& path, int readers,
                                                     const storage::SqliteOptions& options);

  Result<std::unique_ptr<Transaction>> begin(TxnMode mode) override;

  // The calling thread's reader, keeping its read transaction open between
  // reads while nothing is committed (SqliteStore::begin_kept_read). For
  // the I/O threads, which call end_kept_read() whenever they go idle.
  Result<std::unique_ptr<Transaction>> begin_kept_read();
  void end_kept_read();

 private:
  ReadPoolStore() = default;
  storage::SqliteStore& reader();  // the calling thread's

  // Constant after open().
  std::unique_ptr<storage::SqliteStore> writer_;
  std::vector<std::unique_ptr<storage::SqliteStore>> readers_;
  std::atomic<std::size_t> next_reader_{0};
};

// The store of the I/O threads' own work (inline reads, authenticating
// intake): reads through ReadPoolStore::begin_kept_read, writes through the
// pool's writer. Thread-safety: as ReadPoolStore.
class KeptReadStore final : public Store {
 public:
  explicit KeptReadStore(ReadPoolStore& pool) : pool_(pool) {}
  Result<std::unique_ptr<Transaction>> begin(TxnMode mode) override {
    return mode == TxnMode::kRead ? pool_.begin_kept_read() : pool_.begin(mode);
  }
  void end_kept_read() { pool_.end_kept_read(); }

 private:
  ReadPoolStore& pool_;
};

}  // namespace turnaround::api
