#include "consumer/docs_responses.hpp"

#include "consumer/responses.hpp"

#include <array>
#include <string>

namespace evs::consumer {

namespace embedded {
// Defined by the sources cmake/EmbedFiles.cmake generates.
extern const std::string_view openapi_json;
extern const std::string_view docs_index_html;
extern const std::string_view docs_js;
extern const std::string_view swagger_ui_css;
extern const std::string_view swagger_ui_bundle_js;
}  // namespace embedded

namespace {

// Swagger UI sets inline styles and draws its icons as data: images; scripts and requests stay
// on this origin ("Try it out" calls this consumer).
constexpr std::string_view content_security_policy =
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

// The page names its files with a hash of their contents in the query, so a browser may keep
// them for a year; the page and the document themselves are checked on every load.
constexpr std::string_view revalidate = "no-cache";
constexpr std::string_view for_a_year = "public, max-age=31536000, immutable";

server::http_response file_response(std::string_view content_type, std::string_view body,
                                    std::string_view cache_control) {
  server::http_response res;
  res.content_type = std::string{content_type};
  res.body = std::string{body};
  res.header("Cache-Control", std::string{cache_control});
  res.header("X-Content-Type-Options", "nosniff");
  res.header("Content-Security-Policy", std::string{content_security_policy});
  return res;
}

struct docs_file {
  std::string_view name;
  std::string_view content_type;
  const std::string_view& body;
};

const std::array<docs_file, 3>& docs_files() {
  static const std::array<docs_file, 3> files{{
      {"swagger-ui.css", "text/css; charset=utf-8", embedded::swagger_ui_css},
      {"swagger-ui-bundle.js", "text/javascript; charset=utf-8", embedded::swagger_ui_bundle_js},
      {"docs.js", "text/javascript; charset=utf-8", embedded::docs_js},
  }};
  return files;
}

}  // namespace

std::string_view openapi_document() { return embedded::openapi_json; }

server::http_response openapi_response() {
  return file_response("application/json", embedded::openapi_json, revalidate);
}

server::http_response docs_page_response() {
  return file_response("text/html; charset=utf-8", embedded::docs_index_html, revalidate);
}

server::http_response docs_file_response(std::string_view file) {
  for (const auto& f : docs_files())
    if (f.name == file) return file_response(f.content_type, f.body, for_a_year);
  return not_found();
}

}  // namespace evs::consumer
