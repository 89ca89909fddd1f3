#pragma once
// RFC 3339 timestamps <-> microseconds since the Unix epoch (UTC).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace evs::core {

// Accepts "2024-05-01T12:30:00Z", fractions up to nanoseconds, 't'/' ' separators,
// "z" and numeric offsets. Returns nullopt on anything else, including impossible dates.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

// Formats as "2024-05-01T12:30:00.123456Z".
std::string format_rfc3339(std::int64_t micros_since_epoch);

}  // namespace evs::core
