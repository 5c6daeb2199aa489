#pragma once
// FakeClock: a simulated clock for tests, like absl's SimulatedClock. It
// starts at a fixed instant and moves only by advance() or set().

#include <atomic>

#include "engine/clock.h"

namespace turnaround::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Instant start) : t_(start.time_since_epoch().count()) {}
  Instant now() const override { return Instant(std::chrono::seconds(t_.load())); }
  void advance(std::chrono::seconds d) { t_ += d.count(); }
  // REQUIRES: t >= now() (time never goes back).
  void set(Instant t) { t_ = t.time_since_epoch().count(); }

 private:
  std::atomic<long long> t_;
};

}  // namespace turnaround::testing
