#pragma once
// The run loop's sense of time, injected so tests advance it instead of sleeping.
#include "propagator/stop_signal.hpp"

#include <chrono>

namespace evs::propagator {

class clock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;
  virtual ~clock() = default;
  virtual time_point now() const = 0;
  // Until `deadline`, or earlier when the stop level moves past `stop_level_seen`.
  virtual void sleep_until(time_point deadline, stop_signal& stop, int stop_level_seen) = 0;
};

class steady_clock_source final : public clock {
 public:
  time_point now() const override { return std::chrono::steady_clock::now(); }
  void sleep_until(time_point deadline, stop_signal& stop, int stop_level_seen) override {
    stop.wait_until(deadline, stop_level_seen);
  }
};

}  // namespace evs::propagator
