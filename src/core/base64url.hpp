#pragma once
// Unpadded base64url (RFC 4648 §5), as JWTs and our cursors use it.
#include <optional>
#include <string>
#include <string_view>

namespace evs::core {

std::string base64url_encode(std::string_view bytes);
// nullopt when `text` holds a character outside the alphabet.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace evs::core
