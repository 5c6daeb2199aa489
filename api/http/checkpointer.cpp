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

void Checkpointer::poke() { wakeup_.poke(); }

void Checkpointer::stop() {
  wakeup_.stop();
  if (thread_.joinable()) thread_.join();
}

std::int64_t Checkpointer::runs() const { return runs_.load(); }

void Checkpointer::run() {
  name_this_thread("ta-checkpoint");
  // Every write of the server (and of other processes: a CLI import) ends
  // up in the WAL, and only ingest pokes: look at least every period. A
  // checkpoint with nothing to copy costs a few system calls.
  for (;;) {
    if (wakeup_.sleep_for(options_.period) && !wakeup_.stopping()) {
      // Let a burst of pokes (one per ingest batch) coalesce.
      wakeup_.sleep_ignoring_pokes(options_.min_gap);
      wakeup_.forget_poke();
    }
    auto left = store_->checkpoint();
    if (!left.ok() && on_error_) on_error_(left.status());
    ++runs_;
    if (wakeup_.stopping()) return;
  }
}

}  // namespace turnaround::api
