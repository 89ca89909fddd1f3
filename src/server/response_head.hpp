#pragma once
// The status line and header fields of a response, written into a reusable string. The
// session sends them and the body as one gather write, with no per-field allocations.
#include "server/http_message.hpp"

#include <string>

namespace evs::server {

// Replaces `out` with the head of `res`: status line, Server, Content-Type and
// Content-Length (none for 204), the response's own headers, and Connection when the
// version's default (HTTP/1.1 keep-alive, HTTP/1.0 close) is not what `keep_alive` says.
// `version` is 10 or 11.
void write_response_head(const http_response& res, unsigned version, bool keep_alive,
                         std::string& out);

}  // namespace evs::server
