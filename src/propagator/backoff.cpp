#include "propagator/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace evs::propagator {

std::chrono::milliseconds backoff::next_delay(
    std::optional<std::chrono::milliseconds> retry_after) {
  const auto base = static_cast<double>(policy_.base.count());
  const auto cap = static_cast<double>(policy_.max.count());
  // 2^failures grows past the cap quickly; stop the exponent before it overflows a double.
  const double ceiling = std::min(cap, base * std::exp2(std::min(failures_, 62)));
  const double jittered = std::clamp(random_.uniform(), 0.0, 1.0) * ceiling;
  ++failures_;
  auto delay = std::chrono::milliseconds{static_cast<std::int64_t>(std::llround(jittered))};
  if (retry_after) delay = std::max(delay, std::min(*retry_after, policy_.max_retry_after));
  return delay;
}

}  // namespace evs::propagator
