#include "propagator/delivery_status.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <string>

namespace evs::propagator {

delivery_outcome classify_status(long http_status) noexcept {
  if (http_status >= 200 && http_status < 300) return delivery_outcome::ok;
  if (http_status == 408 || http_status == 429) return delivery_outcome::retry;
  if (http_status >= 400 && http_status < 500) return delivery_outcome::error;
  // 5xx, no response, and statuses an ingest API should not send (1xx, 3xx): the events stay
  // in the spool, where a person can still act on them.
  return delivery_outcome::retry;
}

const char* outcome_name(delivery_outcome outcome) noexcept {
  switch (outcome) {
    case delivery_outcome::ok: return "ok";
    case delivery_outcome::retry: return "retry";
    case delivery_outcome::error: return "error";
  }
  return "retry";
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::int64_t now_unix) {
  const auto first = value.find_first_not_of(" \t");
  if (first == std::string_view::npos) return std::nullopt;
  value = value.substr(first, value.find_last_not_of(" \t\r\n") - first + 1);
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::int64_t seconds = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    // Beyond int64 is "a very long time"; the caller clamps it anyway.
    if (ec == std::errc::result_out_of_range) return std::chrono::seconds{INT32_MAX};
    if (ec != std::errc{} || ptr != value.data() + value.size()) return std::nullopt;
    return std::chrono::seconds{seconds};
  }
  const std::string text{value};
  const time_t when = curl_getdate(text.c_str(), nullptr);
  if (when < 0) return std::nullopt;
  return std::chrono::seconds{std::max<std::int64_t>(0, when - now_unix)};
}

}  // namespace evs::propagator
