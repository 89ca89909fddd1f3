#pragma once
// Beast's HTTP/1 request parser, keeping only what the server reads of a request. Beast's own
// parser<> stores every field in a basic_fields container (a node allocation per field and
// case-insensitive lookups afterwards); this one copies the few fields the handlers and the
// protocol checks use straight into the http_request as they are parsed, and nothing else.
#include "server/http_message.hpp"
#include "server/request_body.hpp"

#include <boost/beast/http/basic_parser.hpp>

#include <string>
#include <string_view>

namespace evs::server {

class request_parser final : public boost::beast::http::basic_parser<true> {
 public:
  // Fills `request`, which must outlive the parser.
  explicit request_parser(http_request& request) : request_{request} {}

  // Once the head is done: what the request line said.
  unsigned version() const noexcept { return version_; }
  bool is_head() const noexcept { return head_; }
  // The first value of each field as sent (empty when the field is absent), and whether any
  // Transfer-Encoding was sent at all.
  std::string_view content_encoding() const noexcept { return content_encoding_; }
  std::string_view expect() const noexcept { return expect_; }
  bool has_transfer_encoding() const noexcept { return transfer_encoding_; }

  request_body& body() noexcept { return body_; }

 private:
  using error_code = boost::beast::error_code;
  using field = boost::beast::http::field;
  using verb = boost::beast::http::verb;
  using string_view = boost::beast::string_view;

  void on_request_impl(verb method, string_view method_text, string_view target, int version,
                       error_code& ec) override;
  void on_response_impl(int status, string_view reason, int version, error_code& ec) override;
  void on_field_impl(field name, string_view name_text, string_view value, error_code& ec) override;
  void on_header_impl(error_code& ec) override;
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code& ec) override;
  std::size_t on_body_impl(string_view bytes, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t size, string_view extensions, error_code& ec) override;
  std::size_t on_chunk_body_impl(std::uint64_t remain, string_view bytes, error_code& ec) override;
  void on_finish_impl(error_code& ec) override;

  http_request& request_;
  request_body body_;
  unsigned version_ = 11;
  bool head_ = false;
  bool authorization_seen_ = false;
  bool content_type_seen_ = false;
  bool content_encoding_seen_ = false;
  bool expect_seen_ = false;
  bool transfer_encoding_ = false;
  std::string content_encoding_;
  std::string expect_;
};

}  // namespace evs::server
