// Wakeup (api/http/wakeup.h), the sleep of the server's background threads.
// A sleep that should end at once is given 10 s: if it does not end early,
// the check of its result fails (no timing is asserted).
#include "api/http/wakeup.h"

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

namespace turnaround::testing {
namespace {

using namespace std::chrono_literals;

TEST_CASE("Wakeup.APokeEndsTheSleepOnceAndIsForgotten") {
  api::Wakeup w;
  w.poke();  // before the sleep: kept for it
  CHECK(w.sleep_for(10s));
  CHECK_FALSE(w.sleep_for(1ms));  // forgotten by the sleep that saw it
  std::thread poker([&] { w.poke(); });
  CHECK(w.sleep_for(10s));
  poker.join();
  w.poke();
  w.forget_poke();
  CHECK_FALSE(w.sleep_for(1ms));
}

TEST_CASE("Wakeup.StopEndsEverySleep") {
  api::Wakeup w;
  CHECK_FALSE(w.stopping());
  std::thread stopper([&] { w.stop(); });
  stopper.join();
  CHECK(w.stopping());
  CHECK_FALSE(w.sleep_for(10s));  // returns at once, not poked
  w.sleep_ignoring_pokes(10s);    // returns at once
  CHECK(w.stopping());
}

TEST_CASE("Wakeup.SleepIgnoringPokesKeepsThem") {
  api::Wakeup w;
  w.poke();
  w.sleep_ignoring_pokes(1ms);
  CHECK(w.sleep_for(10s));  // the poke is still there
}

}  // namespace
}  // namespace turnaround::testing
