#include "consumer/dashboard_responses.hpp"

#include "consumer/embedded_files.hpp"

#include <array>

namespace evs::consumer {

namespace embedded {
// Defined by the sources cmake/EmbedFiles.cmake generates.
extern const std::string_view dashboard_index_html;
extern const std::string_view dashboard_app_js;
extern const std::string_view dashboard_app_css;
extern const std::string_view uplot_min_js;
extern const std::string_view uplot_min_css;
}  // namespace embedded

namespace {

// Scripts, styles and requests stay on this origin. uPlot sizes its parts through the CSSOM
// (element.style), which style-src does not govern, so no inline style needs allowing.
constexpr std::string_view content_security_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const std::array<embedded_file, 4>& dashboard_files() {
  static const std::array<embedded_file, 4> files{{
      {"app.js", "text/javascript; charset=utf-8", embedded::dashboard_app_js},
      {"app.css", "text/css; charset=utf-8", embedded::dashboard_app_css},
      {"uplot.min.js", "text/javascript; charset=utf-8", embedded::uplot_min_js},
      {"uplot.min.css", "text/css; charset=utf-8", embedded::uplot_min_css},
  }};
  return files;
}

}  // namespace

server::http_response dashboard_page_response() {
  return embedded_file_response("text/html; charset=utf-8", embedded::dashboard_index_html,
                                revalidate, content_security_policy);
}

server::http_response dashboard_file_response(std::string_view file) {
  return embedded_asset_response(dashboard_files(), file, content_security_policy);
}

}  // namespace evs::consumer
