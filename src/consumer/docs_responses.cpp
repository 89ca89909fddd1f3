#include "consumer/docs_responses.hpp"

#include "consumer/embedded_files.hpp"

#include <array>

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

const std::array<embedded_file, 3>& docs_files() {
  static const std::array<embedded_file, 3> files{{
      {"swagger-ui.css", "text/css; charset=utf-8", embedded::swagger_ui_css},
      {"swagger-ui-bundle.js", "text/javascript; charset=utf-8", embedded::swagger_ui_bundle_js},
      {"docs.js", "text/javascript; charset=utf-8", embedded::docs_js},
  }};
  return files;
}

}  // namespace

std::string_view openapi_document() { return embedded::openapi_json; }

server::http_response openapi_response() {
  return embedded_file_response("application/json", embedded::openapi_json, revalidate,
                                content_security_policy);
}

server::http_response docs_page_response() {
  return embedded_file_response("text/html; charset=utf-8", embedded::docs_index_html, revalidate,
                                content_security_policy);
}

server::http_response docs_file_response(std::string_view file) {
  return embedded_asset_response(docs_files(), file, content_security_policy);
}

}  // namespace evs::consumer
