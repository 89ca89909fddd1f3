#include "server/response_head.hpp"

#include <boost/beast/http/status.hpp>

#include <charconv>

namespace evs::server {
namespace {

void append_number(std::string& out, std::size_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

void write_response_head(const http_response& res, const reply_form& form, std::string& out) {
  namespace http = boost::beast::http;
  out.clear();
  out.append(form.version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  append_number(out, res.status);
  out.push_back(' ');
  out.append(http::obsolete_reason(http::int_to_status(res.status)));
  out.append("\r\n");
  append_field(out, "Server", "event-services");
  // A 204 carries no body and, per RFC 9110, no Content-Length either.
  if (res.status != 204) append_field(out, "Content-Type", res.content_type);
  for (const auto& [name, value] : res.headers) append_field(out, name, value);
  if (res.status != 204) {
    out.append("Content-Length: ");
    append_number(out, res.body.size());
    out.append("\r\n");
  }
  if (form.version == 10 && form.keep_alive) append_field(out, "Connection", "keep-alive");
  if (form.version != 10 && !form.keep_alive) append_field(out, "Connection", "close");
  out.append("\r\n");
}

}  // namespace evs::server
