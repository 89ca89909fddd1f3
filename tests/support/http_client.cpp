#include "support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>

#include <array>
#include <boost/system/system_error.hpp>

namespace evs::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::optional<std::string> http_reply::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (beast::iequals(key, name)) return value;
  return std::nullopt;
}

boost::json::value http_reply::json() const { return boost::json::parse(body); }

std::string http_reply::detail() const {
  boost::system::error_code ec;
  const auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return {};
  const auto* d = v.as_object().if_contains("detail");
  if (d == nullptr || !d->is_string()) return {};
  return std::string{d->as_string()};
}

// Asynchronous operations on a private io_context, run to completion with a deadline: a
// blocking interface that can never hang a test.
struct http_client::impl {
  asio::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  std::chrono::milliseconds timeout;

  explicit impl(std::chrono::milliseconds t) : timeout{t} {}

  template <class Start>
  std::size_t run(Start&& start, const char* what) {
    boost::system::error_code result = asio::error::would_block;
    std::size_t transferred = 0;
    stream.expires_after(timeout);
    start([&](boost::system::error_code ec, std::size_t n = 0) {
      result = ec;
      transferred = n;
    });
    ioc.restart();
    ioc.run();
    if (result) throw boost::system::system_error(result, what);
    return transferred;
  }

  http_reply read() {
    http::response_parser<http::string_body> parser;
    parser.body_limit(std::uint64_t{256} * 1024 * 1024);
    run([&](auto handler) { http::async_read(stream, buffer, parser, handler); },
        "reading a response");
    const auto& msg = parser.get();
    http_reply reply;
    reply.status = msg.result_int();
    reply.body = msg.body();
    reply.keep_alive = msg.keep_alive();
    for (const auto& field : msg)
      reply.headers.emplace_back(std::string{field.name_string()}, std::string{field.value()});
    return reply;
  }
};

http_client::http_client(std::uint16_t port, std::chrono::milliseconds timeout)
    : impl_{std::make_unique<impl>(timeout)} {
  const tcp::endpoint endpoint{asio::ip::make_address("127.0.0.1"), port};
  impl_->run(
      [&](auto handler) {
        impl_->stream.async_connect(endpoint, [handler](auto ec) mutable { handler(ec); });
      },
      "connecting");
}

http_client::~http_client() = default;

http_reply http_client::request(std::string_view method, std::string_view target, std::string body,
                                const header_list& headers) {
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, "127.0.0.1");
  req.keep_alive(true);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = std::move(body);
  req.prepare_payload();
  impl_->run([&](auto handler) { http::async_write(impl_->stream, req, handler); },
             "writing a request");
  return impl_->read();
}

http_reply http_client::get(std::string_view target, std::string_view token) {
  return send("GET", target, {}, token);
}

http_reply http_client::post(std::string_view target, std::string body, std::string_view token) {
  return send("POST", target, std::move(body), token);
}

http_reply http_client::send(std::string_view method, std::string_view target, std::string body,
                             std::string_view token) {
  header_list headers;
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + std::string{token});
  return request(method, target, std::move(body), headers);
}

void http_client::write_raw(std::string_view bytes) {
  impl_->run([&](auto handler) { asio::async_write(impl_->stream, asio::buffer(bytes), handler); },
             "writing raw bytes");
}

http_reply http_client::read_reply() { return impl_->read(); }

bool http_client::wait_closed_by_peer() {
  std::array<char, 4096> sink{};
  try {
    for (;;)
      impl_->run([&](auto handler) { impl_->stream.async_read_some(asio::buffer(sink), handler); },
                 "reading");
  } catch (const boost::system::system_error& e) {
    return e.code() == asio::error::eof || e.code() == asio::error::connection_reset;
  }
}

http_reply http_once(std::uint16_t port, std::string_view method, std::string_view target,
                     std::string body, const header_list& headers) {
  http_client client{port};
  return client.request(method, target, std::move(body), headers);
}

}  // namespace evs::test
