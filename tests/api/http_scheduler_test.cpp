// The timer scheduler (api/http/scheduler.h): catches up on start, sleeps
// until the next timer rather than polling, and wakes early when poked.
#include "api/http/scheduler.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "tests/api/http_test_util.h"

namespace turnaround::testing {
namespace {

using namespace std::chrono_literals;

// Forwards to a store, counting read transactions (the scheduler's looks).
class CountingStore final : public Store {
 public:
  explicit CountingStore(Store& inner) : inner_(inner) {}
  Result<std::unique_ptr<Transaction>> begin(TxnMode mode) override {
    if (mode == TxnMode::kRead) ++reads;
    return inner_.begin(mode);
  }
  std::atomic<int> reads{0};

 private:
  Store& inner_;
};

// Waits up to `limit` for pred().
template <typename P>
bool eventually(P pred, std::chrono::milliseconds limit = 5000ms) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return pred();
}

bool has_event(ApiFixture& f, CaseId id, const std::string& event) {
  for (const auto& h : f.get(id).history) {
    if (h.event == event) return true;
  }
  return false;
}

TEST_CASE("Scheduler.CatchesUpOnStart") {
  ApiFixture f;
  const CaseId id = f.open("SMB-1", 5);
  f.clock.set(at("2026-12-20T08:00:00Z"));  // every callback timer is past due
  std::atomic<std::int64_t> fired{0};
  api::Scheduler s(*f.engine, f.store, f.clock, {}, [&](const Result<TickResult>& r) {
    if (r.ok()) fired += r->fired;
  });
  s.start();
  CHECK(eventually([&] { return fired > 0 && s.ticks() > 0; }));
  s.stop();
  CHECK(has_event(f, id, "deadline_missed"));
}

TEST_CASE("Scheduler.SleepsUntilPokedNotPolling") {
  ApiFixture f;
  const CaseId id = f.open("SMB-1", 5);  // timers due days from now
  CountingStore counting(f.store);
  api::SchedulerOptions options;
  options.max_sleep = 60s;
  api::Scheduler s(*f.engine, counting, f.clock, options);
  s.start();
  REQUIRE(eventually([&] { return counting.reads.load() >= 1; }, 30000ms));
  std::this_thread::sleep_for(300ms);
  const int looks = counting.reads;
  CHECK(looks <= 2);  // one look, then asleep: no busy poll
  CHECK(s.ticks() == 0);
  // Time passes (the fake clock) and a write pokes the scheduler: it looks
  // again and fires, long before max_sleep (60 s) would have woken it.
  f.clock.set(at("2026-12-20T08:00:00Z"));
  s.poke();
  CHECK(eventually([&] { return s.ticks() > 0; }, 30000ms));
  s.stop();
  CHECK(has_event(f, id, "deadline_missed"));
}

TEST_CASE("Scheduler.WakesWhenTheNextTimerIsDue") {
  ApiFixture f;
  f.open("SMB-1", 5);
  // Find the first timer's instant and put the clock 1 s before it: the
  // scheduler must sleep about 1 s and fire without being poked.
  Instant next;
  {
    auto txn = f.store.begin(TxnMode::kRead);
    REQUIRE(txn.ok());
    auto due = (*txn)->next_timer_due();
    REQUIRE(due.ok());
    REQUIRE(due->has_value());
    next = **due;
  }
  f.clock.set(next - std::chrono::seconds(1));
  api::Scheduler s(*f.engine, f.store, f.clock);
  s.start();
  std::this_thread::sleep_for(200ms);
  CHECK(s.ticks() == 0);
  f.clock.set(next);  // the fake clock moves; the scheduler's sleep (1 s) ends on its own,
                      // long before max_sleep (60 s) would end it
  CHECK(eventually([&] { return s.ticks() > 0; }, 30000ms));
  s.stop();
}

TEST_CASE("Scheduler.StopIsPromptAndIdempotent") {
  ApiFixture f;
  api::Scheduler s(*f.engine, f.store, f.clock);
  s.start();
  std::this_thread::sleep_for(50ms);
  const auto t0 = std::chrono::steady_clock::now();
  s.stop();
  s.stop();
  // Prompt: not after the scheduler's sleep (max_sleep, 60 s), however slow the machine.
  CHECK(std::chrono::steady_clock::now() - t0 < 30s);
}

}  // namespace
}  // namespace turnaround::testing
