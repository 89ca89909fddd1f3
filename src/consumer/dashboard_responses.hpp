#pragma once
// GET /dashboard: the operator's live page (web/dashboard/ and the uplot package), served from
// bytes embedded at build time. It reads /metrics and, with a pasted token, /api/events from
// this origin; nothing else.
#include "server/http_message.hpp"

#include <string_view>

namespace evs::consumer {

server::http_response dashboard_page_response();
// A file the page loads (`/dashboard/{file}`); 404 for any other name.
server::http_response dashboard_file_response(std::string_view file);

}  // namespace evs::consumer
