#pragma once
// The run loop's pause: until a deadline on the steady clock, or earlier when a stop signal
// arrives. Apart from runtime::clock because a clock should not know the propagator's stop
// signal; a test's fake time implements both and jumps to the deadline instead of sleeping.
#include "propagator/stop_signal.hpp"
#include "runtime/clock.hpp"

namespace evs::propagator {

class waiter {
 public:
  virtual ~waiter() = default;
  // Until `deadline`, or earlier when the stop level moves past `stop_level_seen`.
  virtual void sleep_until(runtime::clock::steady_time deadline, stop_signal& stop,
                           int stop_level_seen) = 0;
};

class stop_signal_waiter final : public waiter {
 public:
  void sleep_until(runtime::clock::steady_time deadline, stop_signal& stop,
                   int stop_level_seen) override {
    stop.wait_until(deadline, stop_level_seen);
  }
};

}  // namespace evs::propagator
