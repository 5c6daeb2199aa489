#include "api/http/checkpointer.h"

#include "api/http/thread_name.h"

namespace turnaround::api {

Checkpointer::Checkpointer(std::unique_ptr<storage::SqliteStore> store, CheckpointerOptions options,
                           std::function<void(const Status&)> on_error)
    : store_(std::move(store)),
      options_(options),
      on_error_(std::move(on_error)),
      thread_([this] { run(); }) {}

Checkpointer::~Checkpointer() { stop(); }

void Checkpointer::poke() {
  std::lock_guard lock(mutex_);
  poked_ = true;
  wake_.notify_one();
}

void Checkpointer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

std::int64_t Checkpointer::runs() const {
  std::lock_guard lock(mutex_);
  return runs_;
}

void Checkpointer::run() {
  name_this_thread("ta-checkpoint");
  // Every write of the server (and of other processes: a CLI import) ends
  // up in the WAL, and only ingest pokes: look at least every period. A
  // checkpoint with nothing to copy costs a few system calls.
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.period, [&] { return stopping_ || poked_; });
      if (!stopping_ && poked_) {
        // Let a burst of pokes (one per ingest batch) coalesce.
        wake_.wait_for(lock, options_.min_gap, [&] { return stopping_; });
      }
      poked_ = false;
    }
    auto left = store_->checkpoint();
    if (!left.ok() && on_error_) on_error_(left.status());
    std::lock_guard lock(mutex_);
    ++runs_;
    if (stopping_) return;
  }
}

}  // namespace turnaround::api
