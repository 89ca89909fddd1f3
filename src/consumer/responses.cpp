#include "consumer/responses.hpp"

#include "core/errc.hpp"
#include "core/json_text.hpp"
#include "runtime/log.hpp"

namespace evs::consumer {

server::http_response json_response(unsigned status, std::string body) {
  server::http_response res;
  res.status = status;
  res.body = std::move(body);
  return res;
}

server::http_response detail_response(unsigned status, std::string_view detail) {
  std::string body = R"({"detail":)";
  core::append_json_string(body, detail);
  body += "}";
  return json_response(status, std::move(body));
}

server::http_response error_response(const boost::system::error_code& ec,
                                     std::chrono::seconds retry_after, const request_ids& ids) {
  if (ec.category() == error_category()) {
    switch (static_cast<errc>(ec.value())) {
      case errc::not_found: return detail_response(404, "Event not found");
      case errc::bad_cursor: return detail_response(422, "Invalid cursor");
      case errc::queue_full:
      case errc::storage_unavailable:
      case errc::shutting_down: {
        auto res = detail_response(503, ec.message() + ": retry later");
        res.header("Retry-After", std::to_string(retry_after.count()));
        return res;
      }
      case errc::storage_failure: break;
    }
  }
  return internal_error(ec.message(), ids);
}

server::http_response internal_error(std::string_view what, const request_ids& ids) {
  // Internals stay in the log; the client gets the id that finds them there.
  const auto request_id = ids.next();
  log::error("request failed", {{"request_id", request_id}, {"error", std::string{what}}});
  auto res = detail_response(500, "Internal server error (request id " + request_id + ")");
  res.header("X-Request-Id", request_id);
  return res;
}

server::http_response protocol_error_response(server::protocol_error error, std::string_view detail,
                                              std::size_t max_body_bytes, const request_ids& ids) {
  server::http_response res;
  switch (error) {
    case server::protocol_error::malformed_request:
      res = detail_response(400, "Malformed HTTP request");
      break;
    case server::protocol_error::request_timeout:
      res = detail_response(408, "Request timeout: the request did not arrive in time");
      break;
    case server::protocol_error::header_too_large:
      res = detail_response(431, "Request header fields too large");
      break;
    case server::protocol_error::body_too_large: res = body_too_large(max_body_bytes); break;
    case server::protocol_error::unsupported_encoding:
      res = detail_response(415, "Unsupported Content-Encoding: send gzip, deflate or identity");
      break;
    case server::protocol_error::corrupt_body:
      res = detail_response(400, "Corrupt compressed body");
      break;
    case server::protocol_error::expectation_failed:
      res = detail_response(417, "Expectation Failed: only 100-continue is understood");
      break;
    case server::protocol_error::version_not_supported:
      res = detail_response(505, "HTTP Version Not Supported: send HTTP/1.1 or HTTP/1.0");
      break;
    case server::protocol_error::internal_error: res = internal_error(detail, ids); break;
  }
  return res;
}

server::http_response not_found() { return detail_response(404, "Not Found"); }

server::http_response unsupported_media_type() {
  return detail_response(415, "Unsupported Media Type: send application/json");
}

server::http_response body_too_large(std::size_t max_body_bytes) {
  return detail_response(
      413, "Request body too large: at most " + std::to_string(max_body_bytes) + " bytes");
}

server::http_response body_not_taken() {
  return detail_response(413, "Request body not allowed: this endpoint takes none");
}

server::http_response too_many_events(std::size_t max_batch) {
  return detail_response(413,
                         "Too many events: at most " + std::to_string(max_batch) + " per request");
}

server::http_response unauthorized(auth::token_status status) {
  auto res = detail_response(401, auth::token_status_message(status));
  res.header("WWW-Authenticate", "Bearer");
  return res;
}

server::http_response forbidden(auth::scope needed) {
  return detail_response(403, "Not enough permissions: the token needs the scope " +
                                  std::string{auth::scope_name(needed)});
}

server::http_response validation_failed(const std::vector<core::field_error>& errors) {
  return json_response(422, core::validation_error_body(errors));
}

server::http_response method_not_allowed(std::string allow) {
  auto res = detail_response(405, "Method Not Allowed");
  res.header("Allow", std::move(allow));
  return res;
}

}  // namespace evs::consumer
