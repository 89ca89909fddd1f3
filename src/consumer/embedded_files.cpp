#include "consumer/embedded_files.hpp"

#include "consumer/responses.hpp"

#include <string>

namespace evs::consumer {

server::http_response embedded_file_response(std::string_view content_type, std::string_view body,
                                             std::string_view cache_control,
                                             std::string_view content_security_policy) {
  server::http_response res;
  res.content_type = std::string{content_type};
  res.body = std::string{body};
  res.header("Cache-Control", std::string{cache_control});
  res.header("X-Content-Type-Options", "nosniff");
  res.header("Content-Security-Policy", std::string{content_security_policy});
  return res;
}

server::http_response embedded_asset_response(std::span<const embedded_file> files,
                                              std::string_view name,
                                              std::string_view content_security_policy) {
  for (const auto& f : files)
    if (f.name == name)
      return embedded_file_response(f.content_type, f.body, for_a_year, content_security_policy);
  return not_found();
}

}  // namespace evs::consumer
