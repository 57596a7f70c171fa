// IdleSpin: whether the event loop polls for a short while instead of sleeping when it runs out
// of work (config `loop-spin-us`).
//
// Under request/response load, the next request often arrives a few microseconds after the loop
// has gone idle. If the loop is asleep in epoll_wait by then, the sender's kernel must wake it:
// a cross-CPU wakeup that, on a VM, costs the sender an IPI and an exit to the hypervisor, and
// costs the request the wakeup latency. Polling for up to `window` first catches such requests
// awake (the same trade as Go's spinning scheduler threads or Linux's busy_poll).
//
// Spinning only pays when arrivals do come within the window, so the decision is adaptive: each
// idle period ends with an observation (did work arrive within the window?), kept as an
// exponential moving average. The loop spins when most recent idle periods were short, and
// otherwise sleeps, probing with a spin every kProbeEvery-th idle period so that a change in load
// is noticed. A period spent asleep only counts when it was short (a hit): its length includes
// the wakeup latency, so a long one says nothing. An idle server never spins: only a loop
// iteration that served reads starts an idle period.
#pragma once

#include <cstdint>

namespace dq {

class IdleSpin {
 public:
  static constexpr int kScoreMax = 256;   // the moving average of hits, in 1/256
  static constexpr int kThreshold = 128;  // spin when at least half the idle periods were hits
  static constexpr int kProbeEvery = 8;

  void set_window_ns(int64_t ns) { window_ = ns; }
  int64_t window_ns() const { return window_; }

  // Called when a loop iteration reads its first request, `now` in ns (monotonic): ends the
  // current idle period, if any, and scores it.
  void on_work(int64_t now) {
    if (idle_since_ < 0) return;
    bool hit = now - idle_since_ <= window_;
    if (hit || idle_spun_) score_ += ((hit ? kScoreMax : 0) - score_) / 8;
    idle_since_ = -1;
  }

  // Called before every wait for events. `worked`: this iteration served reads. Returns true
  // when the loop should poll without sleeping.
  bool before_wait(int64_t now, bool worked) {
    if (window_ <= 0) return spinning_ = false;
    if (worked) {
      idle_since_ = now;
      spinning_ = score_ >= kThreshold || ++probe_ % kProbeEvery == 0;
      idle_spun_ = spinning_;
      return spinning_;
    }
    if (spinning_ && (idle_since_ < 0 || now - idle_since_ > window_)) spinning_ = false;
    return spinning_;
  }

  int score() const { return score_; }

 private:
  int64_t window_ = 0;
  int64_t idle_since_ = -1;  // when the loop last ran out of work; -1: not in an idle period
  int score_ = 0;
  unsigned probe_ = 0;
  bool spinning_ = false;
  bool idle_spun_ = false;  // the current idle period began with a spin
};

}  // namespace dq
