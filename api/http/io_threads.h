#pragma once
// IoThreads: the server's I/O threads, one io_context each. A connection is
// accepted onto one of them (round robin) and lives there until it closes:
// its socket, timers, parser and handlers all run on that one thread.
//
// Why not one io_context run by every I/O thread (Asio's usual shape)? Each
// request then took locks that both threads contend for (the scheduler's
// queue, the connection's strand, the reactor's timer queue), and a
// connection's memory, allocated on one thread and freed on the other,
// went back through glibc's arena locks. On two cores that cost a GET about
// a third of its CPU (docs/performance.md, "HTTP"). On one thread per
// context the context itself orders a connection's handlers, so no strand is
// needed. Work from other threads (the worker pool, the ingest thread) still
// posts to a connection's executor, which is safe from any thread.
//
// The price: a connection waits for its own thread even while another is
// idle. That is why the I/O threads do only bounded work per request (tens
// of microseconds: parsing, inline reads, small intake bodies); anything
// longer goes to the worker pool.
//
// The contexts are kept running by work guards until release() (then each
// run() returns once its own work is done) or stop() (at once).
//
// Thread-safety: next_executor(), release() and stop() from any thread.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace turnaround::api {

class IoThreads {
 public:
  // `threads` >= 1 contexts; the first is main(): the caller's thread runs
  // it in run(), and the acceptor and signal handling live on it.
  explicit IoThreads(int threads);
  ~IoThreads();
  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;

  boost::asio::io_context& main() { return *contexts_.front(); }

  // The context the next connection goes to (round robin).
  boost::asio::any_io_executor next_executor();

  // Runs main() on this thread and every other context on a thread of its
  // own (named `thread_name`), until all have returned; then joins them.
  void run(const char* thread_name);

  // Lets each context's run() return when it runs out of work.
  void release();
  // Stops every context now (handlers not yet run are abandoned).
  void stop();

 private:
  using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::mutex mutex_;
  std::vector<Guard> guards_;  // guarded by mutex_
  std::atomic<std::size_t> next_{0};
};

}  // namespace turnaround::api
