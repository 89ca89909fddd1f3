#pragma once
// A UUIDv7 from the injected clock and randomness (core::make_uuid_v7 is the pure encoding).
#include "core/uuid.hpp"
#include "runtime/clock.hpp"
#include "runtime/random.hpp"

#include <string>

namespace evs::runtime {

inline std::string make_uuid_v7(const clock& time, random_source& random) {
  const auto a = random.bits();
  return core::make_uuid_v7(time.wall_now_ms(), a, random.bits());
}

}  // namespace evs::runtime
