#pragma once
#include "server/http_message.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace evs::server {

// Failures the session meets before (or instead of) a handler's answer.
enum class protocol_error {
  malformed_request,      // not HTTP/1.x as we read it (400)
  request_timeout,        // the request did not arrive whole within the read timeout (408)
  header_too_large,       // over the header limit (431)
  body_too_large,         // over the body limit, as sent or once decoded (413)
  unsupported_encoding,   // a Content-Encoding other than gzip, deflate or identity (415)
  corrupt_body,           // a compressed body that does not decode (400)
  expectation_failed,     // an Expect other than 100-continue (417)
  version_not_supported,  // a major version other than 1 (505)
  internal_error,         // the handler threw (500)
};

// What the handler matched from a request's head, handed back to it with the whole request,
// so that a route is matched once per request. What `endpoint` numbers is the handler's.
struct matched_route {
  unsigned endpoint = 0;
  std::string param;  // a path parameter, such as the {id} of /api/events/{id}
};

// The handler's verdict on a request's head: a refusal, sent without reading the body
// (unknown path, missing token, wrong content type, body too large), or the route to respond on.
// A refusal names its route too, for on_answered.
struct admission {
  std::optional<http_response> refusal;
  matched_route route;
};

// What the server calls for each request. The session owns sockets, limits and timeouts;
// the handler owns meaning.
class request_handler {
 public:
  virtual ~request_handler() = default;

  // Called once the head is in, before the body is read.
  virtual admission admit(const http_request& head) = 0;

  // Called with the whole request once admitted. `route` and `request` outlive the returned
  // awaitable, so an implementation may hand back an endpoint's own coroutine.
  virtual boost::asio::awaitable<http_response> respond(const matched_route& route,
                                                        const http_request& request) = 0;

  // The answer to a protocol failure; `detail` is for the log, not for the client.
  virtual http_response on_protocol_error(protocol_error error, std::string_view detail) = 0;

  // Once per answered request, after its answer is written (or the client went away meanwhile):
  // for the handler's counters, so it must be quick. `route` is null when the request was
  // refused before admit saw it (a malformed head, say); `elapsed` runs from the request's first
  // byte (for a keep-alive connection, from the end of the wait for it) to its answer's last.
  virtual void on_answered(const matched_route* /*route*/, unsigned /*status*/,
                           std::size_t /*request_body_bytes*/,
                           std::chrono::nanoseconds /*elapsed*/) noexcept {}
};

}  // namespace evs::server
