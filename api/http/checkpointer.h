#pragma once
// Checkpointer: WAL checkpoints of the server's database, off the request
// path.
//
// With SQLite's automatic checkpoints, the commit that crosses the WAL
// threshold copies the WAL into the database file and syncs it, on the
// committing thread: for the server, the ingest worker, which then holds
// every queued POST /v1/responses for the length of the checkpoint (two
// syncs plus the page writes). The server instead opens its writer with
// automatic checkpoints off (SqliteOptions::wal_autocheckpoint_pages = 0)
// and runs this: a thread with its own connection that checkpoints
// (PASSIVE: it never waits for readers or the writer) shortly after it is
// poked (after each ingest batch), and at least every `period`. Durability is unchanged: a commit is durable
// when its WAL frames are synced (synchronous=FULL), not when they are
// checkpointed.
//
// Thread-safety: poke() from any thread; stop() from one.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "api/http/wakeup.h"
#include "engine/status.h"
#include "storage/sqlite_store.h"

namespace turnaround::api {

struct CheckpointerOptions {
  // Longest time between two checkpoints. Default 1 s.
  std::chrono::milliseconds period{1000};
  // Shortest time between two checkpoints, so that pokes after every batch
  // coalesce. Default 100 ms.
  std::chrono::milliseconds min_gap{100};
};

class Checkpointer {
 public:
  // Starts the thread over `store` (a connection of its own, opened by the
  // caller, which it keeps alive until stop()). `on_error` (may be empty)
  // gets failures, from the checkpointer's thread.
  Checkpointer(std::unique_ptr<storage::SqliteStore> store, CheckpointerOptions options,
               std::function<void(const Status&)> on_error);
  // stop().
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Asks for a checkpoint soon (at most min_gap after the previous one).
  void poke();
  // Runs a last checkpoint and joins the thread. Idempotent.
  void stop();
  // Checkpoints run so far (for tests).
  std::int64_t runs() const;

 private:
  void run();

  const std::unique_ptr<storage::SqliteStore> store_;
  const CheckpointerOptions options_;
  const std::function<void(const Status&)> on_error_;
  Wakeup wakeup_;
  std::atomic<std::int64_t> runs_{0};
  std::thread thread_;     // last: starts after everything above exists
};

}  // namespace turnaround::api
