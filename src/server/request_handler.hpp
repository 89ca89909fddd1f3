#pragma once
#include "server/http_message.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string_view>

namespace evs::server {

// Failures the session meets before (or instead of) a handler's answer.
enum class protocol_error {
  malformed_request,  // not HTTP/1.1 as we read it (400)
  header_too_large,   // over the header limit (431)
  body_too_large,     // over the body limit (413)
  internal_error,     // the handler threw (500)
};

// What the server calls for each request. The session owns sockets, limits and timeouts;
// the handler owns meaning.
class request_handler {
 public:
  virtual ~request_handler() = default;

  // Called once the headers are in, before the body is read: a response here is sent
  // without reading the body (missing token, wrong content type, body too large), and the
  // connection is closed after it.
  virtual std::optional<http_response> on_headers(const http_request& head) = 0;

  virtual boost::asio::awaitable<http_response> on_request(http_request request) = 0;

  // The answer to a protocol failure; `detail` is for the log, not for the client.
  virtual http_response on_protocol_error(protocol_error error, std::string_view detail) = 0;
};

}  // namespace evs::server
