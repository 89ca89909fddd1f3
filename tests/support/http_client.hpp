#pragma once
// A small blocking HTTP/1.1 client over a real loopback socket. One object is one TCP
// connection (keep-alive); it never reconnects on its own, so tests can tell. Every call has
// a deadline and throws boost::system::system_error when it passes or the connection fails.
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace evs::test {

using header_list = std::vector<std::pair<std::string, std::string>>;

struct http_reply {
  unsigned status = 0;
  std::string body;
  header_list headers;
  bool keep_alive = false;

  // Case-insensitive; nullopt when absent.
  std::optional<std::string> header(std::string_view name) const;
  // The body parsed as JSON; throws when it is not JSON.
  boost::json::value json() const;
  // {"detail": "..."} -> the text; empty when the detail is not a string.
  std::string detail() const;
};

class http_client {
 public:
  explicit http_client(std::uint16_t port,
                       std::chrono::milliseconds timeout = std::chrono::seconds{30});
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  // Sends one request and reads its response. A non-empty body without a Content-Type in
  // `headers` goes as application/json; `headers` may override anything else.
  http_reply request(std::string_view method, std::string_view target, std::string body = {},
                     const header_list& headers = {});

  // Convenience for the common case: an optional bearer token (empty: no Authorization).
  http_reply get(std::string_view target, std::string_view token = {});
  http_reply post(std::string_view target, std::string body, std::string_view token = {});
  http_reply send(std::string_view method, std::string_view target, std::string body,
                  std::string_view token);

  // Raw access for malformed, partial or oversized requests.
  void write_raw(std::string_view bytes);
  http_reply read_reply();
  // True when the server closes the connection (EOF or reset) within the timeout.
  bool wait_closed_by_peer();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// One request on a fresh connection.
http_reply http_once(std::uint16_t port, std::string_view method, std::string_view target,
                     std::string body = {}, const header_list& headers = {});

}  // namespace evs::test
