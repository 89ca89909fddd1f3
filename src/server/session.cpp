#include "server/session.hpp"

#include "core/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <chrono>

namespace evs::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

http_request make_request(const http::request_parser<http::string_body>& parser) {
  const auto& msg = parser.get();
  http_request req;
  req.method = std::string{msg.method_string()};
  req.target = std::string{msg.target()};
  const auto question = req.target.find('?');
  req.path = req.target.substr(0, question);
  if (question != std::string::npos) req.query = req.target.substr(question + 1);
  req.authorization = std::string{msg[http::field::authorization]};
  req.content_type = std::string{msg[http::field::content_type]};
  if (const auto length = parser.content_length())
    req.content_length = static_cast<std::size_t>(*length);
  return req;
}

// A response to HEAD keeps its headers and drops its body, or the next response on the
// connection would be read as the rest of this one.
http::response<http::string_body> to_beast(http_response&& res, unsigned version, bool keep_alive,
                                           bool head) {
  http::response<http::string_body> out{static_cast<http::status>(res.status), version};
  out.set(http::field::server, "event-services");
  if (res.status != 204) out.set(http::field::content_type, res.content_type);
  for (auto& [name, value] : res.headers) out.set(name, value);
  out.body() = std::move(res.body);
  out.keep_alive(keep_alive && !res.close);
  // A 204 carries no body and, per RFC 9110, no Content-Length either.
  if (res.status != 204) out.prepare_payload();
  if (head) out.body().clear();
  return out;
}

// Marks the session idle or busy in the registry for as long as it lives.
class registration {
 public:
  registration(session_registry& registry, asio::ip::tcp::socket& socket)
      : registry_{registry},
        it_{registry.sessions.insert(registry.sessions.end(), {&socket, true})} {}
  ~registration() { registry_.sessions.erase(it_); }
  registration(const registration&) = delete;
  registration& operator=(const registration&) = delete;
  void set_idle(bool idle) { it_->idle = idle; }

 private:
  session_registry& registry_;
  std::list<session_registry::entry>::iterator it_;
};

}  // namespace

asio::awaitable<void> run_session(asio::ip::tcp::socket socket, const server_config& config,
                                  request_handler& handler, session_registry& registry) {
  beast::tcp_stream stream{std::move(socket)};
  registration reg{registry, stream.socket()};
  beast::flat_buffer buffer;
  bool first = true;

  while (!registry.stopping) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(config.header_limit));
    // No body limit until the handler has seen the headers: a request without a valid token
    // is answered 401 whatever its size. The limit is set before the body is read.
    parser.body_limit(boost::none);

    reg.set_idle(true);
    if (!first && buffer.size() == 0) {
      // Between requests a keep-alive connection may wait up to the idle timeout...
      stream.expires_after(config.idle_timeout);
      auto [iec, in] = co_await stream.async_read_some(buffer.prepare(4096), use_tuple);
      if (iec) break;
      buffer.commit(in);
    }
    // ...but once a request has begun, all of its header must come within the read timeout.
    stream.expires_after(config.read_timeout);
    auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, use_tuple);
    reg.set_idle(false);
    first = false;
    std::optional<protocol_error> failure;
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == beast::error::timeout || ec == asio::error::connection_reset ||
        ec == asio::error::eof) {
      break;
    } else if (ec == http::error::header_limit) {
      failure = protocol_error::header_too_large;
    } else if (ec) {
      failure = protocol_error::malformed_request;
    }
    if (failure) {
      stream.expires_after(config.read_timeout);
      co_await http::async_write(
          stream, to_beast(handler.on_protocol_error(*failure, ec.message()), 11, false, false),
          use_tuple);
      break;
    }

    const unsigned version = parser.get().version();
    const bool keep_alive = parser.get().keep_alive();
    const bool head = parser.get().method() == http::verb::head;
    http_request request = make_request(parser);
    auto early = handler.on_headers(request);
    if (early) {
      // With a body left unread, this connection cannot carry another request.
      const bool keep = keep_alive && parser.is_done() && !early->close && !registry.stopping;
      stream.expires_after(config.read_timeout);
      auto [wec, wn] = co_await http::async_write(
          stream, to_beast(std::move(*early), version, keep, head), use_tuple);
      if (wec || !keep) break;
      continue;
    }

    if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
      http::response<http::empty_body> proceed{http::status::continue_, version};
      auto [wec, wn] = co_await http::async_write(stream, proceed, use_tuple);
      if (wec) break;
    }

    parser.body_limit(config.body_limit);
    bool too_large = request.content_length && *request.content_length > config.body_limit;
    if (!too_large) {
      // One allocation for the whole body instead of a growing string copied as it doubles.
      if (request.content_length) parser.get().body().reserve(*request.content_length);
      stream.expires_after(config.read_timeout);
      std::tie(ec, n) = co_await http::async_read(stream, buffer, parser, use_tuple);
      too_large = ec == http::error::body_limit;
      if (ec && !too_large) break;
    }
    if (too_large) {
      co_await http::async_write(
          stream,
          to_beast(handler.on_protocol_error(protocol_error::body_too_large, {}), version, false,
                   head),
          use_tuple);
      break;
    }
    request.body = std::move(parser.get().body());

    http_response response;
    try {
      response = co_await handler.on_request(std::move(request));
    } catch (const std::exception& e) {
      response = handler.on_protocol_error(
          protocol_error::internal_error, std::string{parser.get().method_string()} + " " +
                                              std::string{parser.get().target()} + ": " + e.what());
    }
    const bool keep = keep_alive && !response.close && !registry.stopping;
    stream.expires_after(config.read_timeout);
    auto [wec, wn] = co_await http::async_write(
        stream, to_beast(std::move(response), version, keep, head), use_tuple);
    if (wec || !keep) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  // Lingering close: read what the client is still sending, so that closing does not reset
  // the connection before it has read our answer (a 401 or 413 sent before its body).
  stream.expires_after(std::chrono::seconds{1});
  std::array<char, 8192> sink{};
  for (std::size_t drained = 0; drained < config.body_limit + config.header_limit;) {
    auto [rec, rn] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
    if (rec) break;
    drained += rn;
  }
}

}  // namespace evs::server
