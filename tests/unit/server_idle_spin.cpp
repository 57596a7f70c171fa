// IdleSpin: the event loop's poll-or-sleep decision (config loop-spin-us).
#include <doctest/doctest.h>

#include "server/idle_spin.h"

using dq::IdleSpin;

namespace {
constexpr int64_t kUs = 1000;

// One loop cycle under steady load: work arrives `gap` after the loop went idle. Returns whether
// the loop chose to spin when it went idle.
bool cycle(IdleSpin& s, int64_t& now, int64_t gap) {
  bool spun = s.before_wait(now, true);
  now += gap;
  s.on_work(now);
  now += 5 * kUs;  // serving
  return spun;
}
}  // namespace

TEST_CASE("disabled: never spins") {
  IdleSpin s;
  int64_t now = 0;
  for (int i = 0; i < 100; ++i) CHECK_FALSE(cycle(s, now, 1 * kUs));
}

TEST_CASE("an idle server never spins") {
  IdleSpin s;
  s.set_window_ns(10 * kUs);
  int64_t now = 0;
  for (int i = 0; i < 100; ++i) {
    CHECK_FALSE(s.before_wait(now, false));  // iterations without reads (timers only)
    now += 100 * kUs;
  }
}

TEST_CASE("fast arrivals turn spinning on; a spin lasts at most the window") {
  IdleSpin s;
  s.set_window_ns(10 * kUs);
  int64_t now = 0;
  int spun = 0;
  for (int i = 0; i < 200; ++i) spun += cycle(s, now, 3 * kUs);
  CHECK(s.score() >= IdleSpin::kThreshold);
  CHECK(spun > 150);
  // Now spinning: empty polls keep spinning within the window, then the loop sleeps.
  CHECK(s.before_wait(now, true));
  CHECK(s.before_wait(now + 4 * kUs, false));
  CHECK(s.before_wait(now + 10 * kUs, false));
  CHECK_FALSE(s.before_wait(now + 11 * kUs, false));
  CHECK_FALSE(s.before_wait(now + 12 * kUs, false));  // stays asleep until work comes
}

TEST_CASE("slow arrivals: only the periodic probe spins") {
  IdleSpin s;
  s.set_window_ns(10 * kUs);
  int64_t now = 0;
  int spun = 0;
  for (int i = 0; i < 800; ++i) spun += cycle(s, now, 200 * kUs);
  CHECK(s.score() < IdleSpin::kThreshold);
  CHECK(spun == 800 / IdleSpin::kProbeEvery);
}

TEST_CASE("load that slows down stops the spinning") {
  IdleSpin s;
  s.set_window_ns(10 * kUs);
  int64_t now = 0;
  for (int i = 0; i < 100; ++i) cycle(s, now, 2 * kUs);
  CHECK(cycle(s, now, 500 * kUs));
  int spun = 0;
  for (int i = 0; i < 80; ++i) spun += cycle(s, now, 500 * kUs);
  CHECK(spun <= 80 / IdleSpin::kProbeEvery + 8);  // a few misses, then probes only
  CHECK(s.score() < IdleSpin::kThreshold);
}

TEST_CASE("long sleeps do not count against spinning (they include the wakeup latency)") {
  IdleSpin s;
  s.set_window_ns(10 * kUs);
  int64_t now = 0;
  // Short gaps seen while asleep count as hits, long ones while asleep are not scored.
  for (int i = 0; i < 50; ++i) {
    cycle(s, now, (i % 2) ? 2 * kUs : 40 * kUs);
  }
  CHECK(s.score() >= IdleSpin::kThreshold);
}

TEST_CASE("setting the window to 0 stops a spin at once") {
  IdleSpin s;
  s.set_window_ns(10 * kUs);
  int64_t now = 0;
  for (int i = 0; i < 100; ++i) cycle(s, now, 1 * kUs);
  CHECK(s.before_wait(now, true));
  s.set_window_ns(0);
  CHECK_FALSE(s.before_wait(now + 1, false));
  CHECK_FALSE(s.before_wait(now + 2, true));
}
