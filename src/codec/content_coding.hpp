#pragma once
// The content codings of HTTP bodies we read and write (RFC 9110 8.4.1).
#include <optional>
#include <string>
#include <string_view>

namespace evs::codec {

enum class content_coding { identity, gzip, deflate };

// The coding a Content-Encoding header names: empty or "identity", "gzip" (or "x-gzip"),
// "deflate" (the zlib format, RFC 9110 8.4.1.2); nullopt for anything else, lists included.
std::optional<content_coding> parse_content_coding(std::string_view header);

// `text` compressed in `coding` (gzip or deflate), at zlib's default level.
std::string compress(std::string_view text, content_coding coding);

}  // namespace evs::codec
