#pragma once
// Capped full-jitter exponential backoff ("Exponential Backoff and Jitter", AWS architecture
// blog): the n-th consecutive failure waits uniform(0, min(max, base * 2^n)). Many senders
// retrying after one outage spread out instead of arriving together.
#include "runtime/random.hpp"

#include <chrono>
#include <optional>

namespace evs::propagator {

struct backoff_policy {
  std::chrono::milliseconds base{500};
  std::chrono::milliseconds max{30'000};
  std::chrono::milliseconds max_retry_after{300'000};
};

class backoff {
 public:
  backoff(backoff_policy policy, runtime::random_source& random)
      : policy_{policy}, random_{random} {}

  // The wait before the next try after a failure. A Retry-After from the endpoint is a floor
  // (clamped to max_retry_after): we never come back sooner than asked.
  std::chrono::milliseconds next_delay(std::optional<std::chrono::milliseconds> retry_after = {});
  void reset() noexcept { failures_ = 0; }
  int failures() const noexcept { return failures_; }

 private:
  backoff_policy policy_;
  runtime::random_source& random_;
  int failures_ = 0;
};

}  // namespace evs::propagator
