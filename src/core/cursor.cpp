#include "core/cursor.hpp"

#include "core/base64url.hpp"

#include <charconv>

namespace evs::core {
namespace {

constexpr std::string_view prefix = "v1:";

}  // namespace

std::string encode_cursor(std::int64_t last_id) {
  return base64url_encode(std::string{prefix} + std::to_string(last_id));
}

std::optional<std::int64_t> decode_cursor(std::string_view cursor) {
  if (cursor.empty() || cursor.size() > 64) return std::nullopt;
  const auto raw = base64url_decode(cursor);
  if (!raw || !raw->starts_with(prefix)) return std::nullopt;
  const std::string_view digits = std::string_view{*raw}.substr(prefix.size());
  std::int64_t id = 0;
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (ec != std::errc{} || ptr != digits.data() + digits.size() || id < 0) return std::nullopt;
  return id;
}

}  // namespace evs::core
