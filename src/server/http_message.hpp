#pragma once
// Plain request/response types: handlers see no Beast types, so they are tested without sockets.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace evs::server {

struct http_request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query as sent
  std::string path;    // without the query
  std::string query;   // after '?', still percent-encoded
  std::string authorization;
  std::string content_type;
  std::optional<std::size_t> content_length;
  bool chunked = false;   // the body comes in chunks, its length unknown until the last one
  std::string_view peer;  // the client's address and port, for the log; the connection's own
  std::string body;

  // Whether a body follows the head (a zero Content-Length is no body).
  bool has_body() const { return chunked || content_length.value_or(0) != 0; }
};

struct http_response {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  bool close = false;  // close the connection after sending

  http_response& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

}  // namespace evs::server
