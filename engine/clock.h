#pragma once
// The engine's only source of time. Production passes a clock that reads the
// system clock (api/, which is allowed to); `--now` passes a FixedClock; tests
// use FakeClock (tests/support/fake_clock.h), which moves only when told.

#include "engine/time.h"

namespace turnaround {

class Clock {
 public:
  virtual ~Clock() = default;
  // Current instant. Thread-safety: implementations must be safe to call
  // from several threads.
  virtual Instant now() const = 0;
};

// Always answers the instant it was built with (for `--now T`).
class FixedClock final : public Clock {
 public:
  explicit FixedClock(Instant t) : t_(t) {}
  Instant now() const override { return t_; }

 private:
  const Instant t_;
};

}  // namespace turnaround
