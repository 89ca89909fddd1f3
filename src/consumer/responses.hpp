#pragma once
// Every error response of the API is built here; errc -> HTTP status happens in error_response
// and nowhere else.
#include "auth/scopes.hpp"
#include "auth/token_verifier.hpp"
#include "core/validation.hpp"
#include "runtime/uuid.hpp"
#include "server/http_message.hpp"
#include "server/request_handler.hpp"

#include <boost/system/error_code.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace evs::consumer {

// Where the id of a 500 comes from: a UUIDv7 from the injected clock and randomness.
struct request_ids {
  const runtime::clock& clock;
  runtime::random_source& random;
  std::string next() const { return runtime::make_uuid_v7(clock, random); }
};

server::http_response json_response(unsigned status, std::string body);
server::http_response detail_response(unsigned status, std::string_view detail);

// Storage and queue errors (evs::errc) -> 404 / 503 + Retry-After / 500.
server::http_response error_response(const boost::system::error_code& ec,
                                     std::chrono::seconds retry_after, const request_ids& ids);

// 500: logs `what` with a fresh request id and gives the client only that id.
server::http_response internal_error(std::string_view what, const request_ids& ids);

// Transport-level failures met by the session (400, 413, 431, 500).
server::http_response protocol_error_response(server::protocol_error error, std::string_view detail,
                                              std::size_t max_body_bytes, const request_ids& ids);

server::http_response not_found();
server::http_response unsupported_media_type();
server::http_response body_too_large(std::size_t max_body_bytes);
server::http_response body_not_taken();  // a body on a route that takes none
server::http_response too_many_events(std::size_t max_batch);
server::http_response unauthorized(auth::token_status status);
server::http_response forbidden(auth::scope needed);
server::http_response validation_failed(const std::vector<core::field_error>& errors);
server::http_response method_not_allowed(std::string allow);

}  // namespace evs::consumer
