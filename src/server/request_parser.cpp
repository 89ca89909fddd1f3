#include "server/request_parser.hpp"

#include <boost/beast/http/error.hpp>

namespace evs::server {
namespace {

// The first occurrence of a field wins, as basic_fields::operator[] would have it.
void keep_first(bool& seen, std::string& out, std::string_view value) {
  if (seen) return;
  seen = true;
  out.assign(value);
}

}  // namespace

void request_parser::on_request_impl(verb method, string_view method_text, string_view target,
                                     int version, error_code& /*ec*/) {
  request_.method.assign(method_text);
  request_.target.assign(target);
  const std::string_view whole = request_.target;
  const auto question = whole.find('?');
  request_.path.assign(whole.substr(0, question));
  if (question != std::string_view::npos) request_.query.assign(whole.substr(question + 1));
  version_ = static_cast<unsigned>(version);
  head_ = method == verb::head;
}

void request_parser::on_response_impl(int /*status*/, string_view /*reason*/, int /*version*/,
                                      error_code& ec) {
  ec = boost::beast::http::error::bad_method;  // a request parser never sees a status line
}

void request_parser::on_field_impl(field name, string_view /*name_text*/, string_view value,
                                   error_code& /*ec*/) {
  switch (name) {
    case field::authorization:
      keep_first(authorization_seen_, request_.authorization, value);
      break;
    case field::content_type: keep_first(content_type_seen_, request_.content_type, value); break;
    case field::content_encoding:
      keep_first(content_encoding_seen_, content_encoding_, value);
      break;
    case field::expect: keep_first(expect_seen_, expect_, value); break;
    case field::transfer_encoding: transfer_encoding_ = true; break;
    default: break;
  }
}

void request_parser::on_header_impl(error_code& /*ec*/) {
  if (const auto length = content_length())
    request_.content_length = static_cast<std::size_t>(*length);
  request_.chunked = chunked();
}

void request_parser::on_body_init_impl(const boost::optional<std::uint64_t>& /*length*/,
                                       error_code& /*ec*/) {
  body_.start();  // the parser's body limit bounds the length; memory follows the bytes
}

std::size_t request_parser::on_body_impl(string_view bytes, error_code& ec) {
  return body_.put(bytes, ec);
}

void request_parser::on_chunk_header_impl(std::uint64_t /*size*/, string_view /*extensions*/,
                                          error_code& /*ec*/) {}

std::size_t request_parser::on_chunk_body_impl(std::uint64_t /*remain*/, string_view bytes,
                                               error_code& ec) {
  return body_.put(bytes, ec);
}

void request_parser::on_finish_impl(error_code& ec) { body_.finish(ec); }

}  // namespace evs::server
