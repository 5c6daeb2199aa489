#pragma once
// Scheduler: fires the durable timers (deadlines, reminders, escalations)
// inside the server, through Engine::tick, the same code as `turnaround
// tick`.
//
// It sleeps until the earliest pending timer is due (Transaction::
// next_timer_due) or the next loss-review agenda cut-off comes
// (next_review_cutoff: tick() freezes that agenda), never polling in a
// loop: one query per wake-up. On start it creates the loss review's
// meeting rows ahead (Engine::schedule_reviews). It wakes
// early when poke()d (the server pokes after every successful write, since
// a write may have created an earlier timer), and at the latest after
// max_sleep, which bounds how late it notices timers created by another
// process (a CLI import) or a jump of the system clock. On start it catches
// up: timers that fell due while the server was down fire at once, under
// their misfire policy.
//
// Exactly once: Engine::tick marks each timer fired in the transaction of
// its consequences, and a timer another process (a CLI tick) fired first is
// skipped (mark_timer_fired returns false), so running both is safe.
//
// Thread-safety: poke() from any thread; start() and stop() from one.

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "api/http/wakeup.h"
#include "engine/engine.h"

namespace turnaround::api {

struct SchedulerOptions {
  // The longest sleep between two looks at the timers table. Default 60 s.
  std::chrono::milliseconds max_sleep{60000};
  // The wait before retrying after a failed look or tick (e.g. the database
  // was locked by another process past its busy timeout). Default 1 s.
  std::chrono::milliseconds retry_after{1000};
};

class Scheduler {
 public:
  // Called after each tick with its result (and with failures of the look
  // at the timers table).
  using OnTick = std::function<void(const Result<TickResult>&)>;

  // REQUIRES: every argument outlives the scheduler. `store` is read for
  // next_timer_due; `clock` gives the instant passed to tick.
  Scheduler(Engine& engine, Store& store, const Clock& clock, SchedulerOptions options = {},
            OnTick on_tick = {});
  // stop().
  ~Scheduler();

  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Starts the scheduler's thread, which catches up at once.
  void start();
  // Something may have created an earlier timer: look again now.
  void poke();
  // Finishes the tick in progress (if any), then joins. Idempotent.
  void stop();

  // Ticks run so far that fired at least one timer (for tests).
  std::int64_t ticks() const;

 private:
  void run();

  Engine& engine_;
  Store& store_;
  const Clock& clock_;
  const SchedulerOptions options_;
  const OnTick on_tick_;

  Wakeup wakeup_;
  std::atomic<std::int64_t> ticks_{0};

  std::thread thread_;
};

}  // namespace turnaround::api
