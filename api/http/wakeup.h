#pragma once
// Wakeup: how the server's background threads (the timer scheduler, the
// WAL checkpointer, the configuration watcher) sleep between rounds: until a
// time passes, until poked (there may be new work), or until stopped.
//
// Thread-safety: safe.

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace turnaround::api {

class Wakeup {
 public:
  // Ends the current sleep, or the next one, early.
  void poke() {
    std::lock_guard lock(mutex_);
    poked_ = true;
    wake_.notify_all();
  }
  // Ends the current sleep; every later one returns at once.
  void stop() {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
  }
  bool stopping() const {
    std::lock_guard lock(mutex_);
    return stopping_;
  }
  // Sleeps up to `d`, or until poked or stopped. Returns whether it was
  // poked, and forgets the poke.
  bool sleep_for(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, d, [&] { return poked_ || stopping_; });
    const bool poked = poked_;
    poked_ = false;
    return poked;
  }
  // Sleeps up to `d`, or until stopped (pokes meanwhile are kept).
  void sleep_ignoring_pokes(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, d, [&] { return stopping_; });
  }
  // Forgets any poke: the caller is about to look at everything written
  // before this call.
  void forget_poke() {
    std::lock_guard lock(mutex_);
    poked_ = false;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool poked_ = false;     // guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_
};

}  // namespace turnaround::api
