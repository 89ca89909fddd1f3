#pragma once
// Opaque keyset cursors for GET /api/events: clients pass back what we gave them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace evs::core {

std::string encode_cursor(std::int64_t last_id);
std::optional<std::int64_t> decode_cursor(std::string_view cursor);

}  // namespace evs::core
