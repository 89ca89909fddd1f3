#pragma once
// UUIDv7 (RFC 9562): time-ordered ids, so newer events sort after older ones.
#include <cstdint>
#include <random>
#include <string>

namespace evs::core {

// `unix_ms` is the timestamp part; the random bits come from `rng`.
std::string make_uuid_v7(std::int64_t unix_ms, std::mt19937_64& rng);

// Convenience for callers without their own generator: the system clock and a per-thread RNG.
std::string make_uuid_v7();

}  // namespace evs::core
