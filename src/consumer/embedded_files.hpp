#pragma once
// Answers made of files embedded at build time (cmake/EmbedFiles.cmake): the /docs and
// /dashboard pages and the files they load.
#include "server/http_message.hpp"

#include <span>
#include <string_view>

namespace evs::consumer {

struct embedded_file {
  std::string_view name;
  std::string_view content_type;
  const std::string_view& body;
};

// Pages and documents are checked on every load; the files a page loads are named with a hash
// of their contents in the query, so a browser may keep them for a year.
inline constexpr std::string_view revalidate = "no-cache";
inline constexpr std::string_view for_a_year = "public, max-age=31536000, immutable";

server::http_response embedded_file_response(std::string_view content_type, std::string_view body,
                                             std::string_view cache_control,
                                             std::string_view content_security_policy);

// The file of `files` called `name`, cached for a year; 404 for any other name.
server::http_response embedded_asset_response(std::span<const embedded_file> files,
                                              std::string_view name,
                                              std::string_view content_security_policy);

}  // namespace evs::consumer
