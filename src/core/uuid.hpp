#pragma once
// UUIDv7 (RFC 9562): time-ordered ids, so newer events sort after older ones. Pure: the time
// and the random bits come from the caller (runtime::make_uuid_v7 reads the injected clock).
#include <cstdint>
#include <string>

namespace evs::core {

// `unix_ms` is the timestamp part; 74 of the 128 random bits fill the rest.
std::string make_uuid_v7(std::int64_t unix_ms, std::uint64_t random_a, std::uint64_t random_b);

}  // namespace evs::core
