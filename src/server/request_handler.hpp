#pragma once
#include "server/http_message.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>

namespace evs::server {

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
};

}  // namespace evs::server
