#pragma once
// GET /openapi.json and GET /docs: the OpenAPI document and the Swagger UI page that renders
// it, served from bytes embedded at build time (src/consumer/openapi.json, web/docs/ and the
// swagger-ui-dist package), so the page works with no other host reachable.
#include "server/http_message.hpp"

#include <string_view>

namespace evs::consumer {

// The document as the binary holds it; the tests read it to compare it with the router.
std::string_view openapi_document();

server::http_response openapi_response();
server::http_response docs_page_response();
// A file the page loads (`/docs/{file}`); 404 for any other name.
server::http_response docs_file_response(std::string_view file);

}  // namespace evs::consumer
