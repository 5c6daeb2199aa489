#include "api/http/scheduler.h"

#include <algorithm>

#include "api/http/thread_name.h"

namespace turnaround::api {

namespace {

// The earliest of the next timer and the next loss-review agenda cut-off.
Result<std::optional<Instant>> next_due(Store& store) {
  TA_ASSIGN_OR_RETURN(auto txn, store.begin(TxnMode::kRead));
  TA_ASSIGN_OR_RETURN(auto timer, txn->next_timer_due());
  TA_ASSIGN_OR_RETURN(auto cutoff, txn->next_review_cutoff());
  if (timer && cutoff) return std::optional<Instant>(std::min(*timer, *cutoff));
  return timer ? timer : cutoff;
}

}  // namespace

Scheduler::Scheduler(Engine& engine, Store& store, const Clock& clock, SchedulerOptions options,
                     OnTick on_tick)
    : engine_(engine), store_(store), clock_(clock), options_(options), on_tick_(std::move(on_tick)) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
}

void Scheduler::poke() { wakeup_.poke(); }

void Scheduler::stop() {
  wakeup_.stop();
  if (thread_.joinable()) thread_.join();
}

std::int64_t Scheduler::ticks() const { return ticks_.load(); }

void Scheduler::run() {
  name_this_thread("ta-scheduler");
  // The loss review's meeting rows ahead, so that the next cut-off is
  // known below (tick() keeps them ahead from then on).
  if (Status s = engine_.schedule_reviews(clock_.now()); !s.ok() && on_tick_) on_tick_(s);
  for (;;) {
    if (wakeup_.stopping()) return;
    wakeup_.forget_poke();  // this look covers every write before it
    const Instant now = clock_.now();
    auto next = next_due(store_);
    if (!next.ok()) {
      if (on_tick_) on_tick_(next.status());
      wakeup_.sleep_for(options_.retry_after);
      continue;
    }
    if (*next && **next <= now) {
      auto result = engine_.tick(now);
      if (result.ok() && result->fired > 0) ++ticks_;
      if (on_tick_) on_tick_(result);
      if (!result.ok()) wakeup_.sleep_for(options_.retry_after);
      continue;
    }
    auto wait = options_.max_sleep;
    if (*next) {
      // Instants are whole seconds: wake just after the due second starts.
      auto until_due = std::chrono::duration_cast<std::chrono::milliseconds>(**next - now) +
                       std::chrono::milliseconds(5);
      wait = std::min(wait, until_due);
    }
    wakeup_.sleep_for(wait);
  }
}

}  // namespace turnaround::api
