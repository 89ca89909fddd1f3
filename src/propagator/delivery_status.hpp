#pragma once
// What a response means for the events in it: a pure function of the status, as in Fluent
// Bit's out_http. 0 stands for "no response" (connection refused, reset, timeout).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace evs::propagator {

enum class delivery_outcome {
  ok,     // 2xx: committed by the endpoint, leave the spool
  retry,  // 408, 429, 5xx, no response, anything unexpected: keep, send again later
  error,  // any other 4xx: the endpoint will never take them; dead letters
};

delivery_outcome classify_status(long http_status) noexcept;

const char* outcome_name(delivery_outcome outcome) noexcept;

// Retry-After is delay-seconds or an HTTP-date (RFC 9110 10.2.3); `now_unix` is the current
// time in seconds since the epoch. Past dates mean "now"; garbage means no advice.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::int64_t now_unix);

}  // namespace evs::propagator
