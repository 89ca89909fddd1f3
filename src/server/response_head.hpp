#pragma once
// The status line and header fields of a response, written into a reusable string. The
// session sends them and the body as one gather write, with no per-field allocations.
#include "server/http_message.hpp"

#include <string>

namespace evs::server {

// How an answer goes out. The defaults suit an answer to a request whose head could not be
// read: HTTP/1.1, and the connection closes after it.
struct reply_form {
  unsigned version = 11;    // 10 or 11, as the request's
  bool keep_alive = false;  // the connection carries another request after this one
  bool head_only = false;   // the answer to HEAD: the same head, without the body
};

// Replaces `out` with the head of `res`: status line, Server, Content-Type and
// Content-Length (none for 204), the response's own headers, and Connection when the
// version's default (HTTP/1.1 keep-alive, HTTP/1.0 close) is not what `form` says.
void write_response_head(const http_response& res, const reply_form& form, std::string& out);

}  // namespace evs::server
