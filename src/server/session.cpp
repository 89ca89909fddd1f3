#include "server/session.hpp"

#include "server/request_parser.hpp"
#include "server/response_head.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <string>

namespace evs::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Each step of an exchange names the one that comes next.
enum class step {
  admit,      // the head is in: the handler and the limits decide
  read_body,  // admitted: the body is read
  respond,    // the answer is known, or the handler gives it
  drop,       // the connection is over, with nothing (more) to send
};

// One request on its way through the steps. Once `answer` is set, only responding is left.
struct exchange {
  explicit exchange(const server_config& config) : parser{request} {
    parser.header_limit(static_cast<std::uint32_t>(config.header_limit));
    // No body limit until the handler has seen the head: a request without a valid token is
    // answered 401 whatever its size. The limit is set before the body is read.
    parser.body_limit(boost::none);
  }

  http_request request;  // filled by the parser as the head arrives
  request_parser parser;
  matched_route route;
  bool routed = false;  // admit has named the route, whether or not it refused the request
  std::optional<http_response> answer;
  reply_form reply;  // until the head is read: HTTP/1.1, closing
  std::chrono::steady_clock::time_point started;
};

// A request usually arrives in one segment: parse what is already buffered (the head alone,
// or with `eager` the body too), so that only bytes still on their way cost another
// asynchronous read. Needing more bytes is not an error.
beast::error_code parse_buffered(request_parser& parser, beast::flat_buffer& buffer, bool eager) {
  beast::error_code ec;
  parser.eager(eager);
  const auto finished = [&] { return eager ? parser.is_done() : parser.is_header_done(); };
  while (!finished() && buffer.size() != 0) {
    const auto used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == http::error::need_more) return {};
    if (ec || used == 0) break;
  }
  return ec;
}

// Writes what the socket takes at once, without waiting (it is non-blocking), and leaves the
// rest in `parts`. Most answers fit in the socket's send buffer.
beast::error_code write_at_once(tcp::socket& socket, std::array<asio::const_buffer, 2>& parts) {
  beast::error_code ec;
  std::size_t written = socket.write_some(parts, ec);
  if (ec == asio::error::would_block) ec = {};
  for (auto& part : parts) {
    const auto skip = std::min(written, part.size());
    part += skip;
    written -= skip;
  }
  return ec;
}

// The client sent something that is not HTTP as we read it (a bad chunk size, say), as
// opposed to going away mid-request.
bool is_malformed(const beast::error_code& ec) {
  static const auto& http_errors = make_error_code(http::error::bad_chunk).category();
  return ec.category() == http_errors && ec != http::error::end_of_stream &&
         ec != http::error::partial_message;
}

// Beast reads HTTP/1.0 and HTTP/1.1 (proxies such as nginx speak 1.0 to upstreams by default)
// and refuses any other version. Whether the refused request line still ends in a well-formed
// "HTTP/d.d" tells a version we do not serve (505) from a malformed line (400).
bool names_a_version(const beast::flat_buffer& buffer) {
  const std::string_view text{static_cast<const char*>(buffer.data().data()), buffer.size()};
  const auto line = text.substr(0, text.find("\r\n"));
  constexpr std::string_view prefix = "HTTP/";
  if (line.size() < prefix.size() + 3) return false;
  const auto version = line.substr(line.size() - prefix.size() - 3);
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return version.starts_with(prefix) && digit(version[5]) && version[6] == '.' && digit(version[7]);
}

std::string peer_of(const tcp::socket& socket) {
  beast::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

bool ends_connection(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::operation_aborted ||
         ec == asio::error::bad_descriptor || ec == asio::error::connection_reset ||
         ec == asio::error::eof;
}

// The steps of run_session over one connection. Only the steps that may wait for the socket
// are coroutines, and the request that arrives whole costs one read and one write.
class connection {
 public:
  connection(tcp::socket& socket, const server_config& config, request_handler& handler,
             session_registry& registry)
      : socket_{socket},
        config_{config},
        handler_{handler},
        registry_{registry},
        registration_{registry, socket},
        peer_{peer_of(socket)} {
    beast::error_code ignored;
    socket_.non_blocking(true, ignored);  // lets write_at_once try without waiting
  }

  asio::awaitable<step> read_head(exchange& x);
  step admit(exchange& x);
  step take_buffered_body(exchange& x);
  asio::awaitable<step> read_body(exchange& x);
  asio::awaitable<bool> respond(exchange& x);
  asio::awaitable<void> linger();

 private:
  step body_read(exchange& x, const beast::error_code& ec);
  step refuse(exchange& x, protocol_error error, std::string_view detail);

  tcp::socket& socket_;
  const server_config& config_;
  request_handler& handler_;
  session_registry& registry_;
  registration registration_;
  beast::flat_buffer buffer_;
  std::string head_text_;  // every response's head, serialized into the one string
  std::string peer_;       // the client's address, once per connection
  bool first_request_ = true;
};

// Between requests a keep-alive connection may wait up to the idle timeout; once a request
// has begun, all of its head must come within the read timeout.
asio::awaitable<step> connection::read_head(exchange& x) {
  registration_.set_idle(true);
  if (!first_request_ && buffer_.size() == 0) {
    registration_.deadline_in(config_.idle_timeout);
    auto [ec, n] = co_await socket_.async_read_some(buffer_.prepare(4096), use_tuple);
    if (ec) co_return step::drop;
    buffer_.commit(n);
  }
  x.started = std::chrono::steady_clock::now();
  first_request_ = false;
  registration_.request_deadline_in(config_.read_timeout);
  auto ec = parse_buffered(x.parser, buffer_, false);
  if (!ec && !x.parser.is_header_done())
    std::tie(ec, std::ignore) =
        co_await http::async_read_header(socket_, buffer_, x.parser, use_tuple);
  registration_.set_idle(false);
  // A connection that never started a request is closed without a word; one that did is told.
  if (registration_.timed_out())
    co_return x.parser.got_some() ? refuse(x, protocol_error::request_timeout, {}) : step::drop;
  if (ends_connection(ec)) co_return step::drop;
  if (ec == http::error::header_limit)
    co_return refuse(x, protocol_error::header_too_large, ec.message());
  if (ec == http::error::bad_version && names_a_version(buffer_))
    co_return refuse(x, protocol_error::version_not_supported, ec.message());
  if (ec) co_return refuse(x, protocol_error::malformed_request, ec.message());

  x.reply = {.version = x.parser.version(),
             .keep_alive = x.parser.keep_alive(),
             .head_only = x.parser.is_head()};
  x.request.peer = peer_;
  co_return step::admit;
}

// The handler's verdict on the head (route, token, scope, content type), then the session's
// own body limit.
step connection::admit(exchange& x) {
  // RFC 9112 6.1: a request whose last transfer coding is not chunked has no knowable length;
  // reading on would let its body pass for the next request (smuggling). 400, and close.
  if (x.parser.has_transfer_encoding() && !x.parser.chunked())
    return refuse(x, protocol_error::malformed_request,
                  "Transfer-Encoding: the last coding must be chunked");
  // RFC 9110 10.1.1: an expectation the server cannot meet gets 417.
  if (const auto expect = x.parser.expect();
      !expect.empty() && !beast::iequals(expect, "100-continue"))
    return refuse(x, protocol_error::expectation_failed, {});
  auto verdict = handler_.admit(x.request);
  x.route = std::move(verdict.route);
  x.routed = true;
  if (verdict.refusal) {
    x.answer = std::move(verdict.refusal);
    return step::respond;
  }
  if (x.request.content_length && *x.request.content_length > config_.body_limit)
    return refuse(x, protocol_error::body_too_large, {});
  x.parser.body_limit(config_.body_limit);
  // A compressed body is decoded as it arrives, to no more than the same limit.
  if (x.request.has_body()) {
    const auto coding = codec::parse_content_coding(x.parser.content_encoding());
    if (!coding) return refuse(x, protocol_error::unsupported_encoding, {});
    x.parser.body().decode(*coding, config_.body_limit);
  }
  // The bytes already here in one allocation; whatever is still on its way grows the body as
  // it arrives, so a client cannot make us hold what it has only announced.
  if (x.request.content_length)
    x.parser.body().reserve(std::min(*x.request.content_length, buffer_.size()));
  return step::read_body;
}

// The body usually came with the head; only when some is still on its way is there a read.
step connection::take_buffered_body(exchange& x) {
  return body_read(x, parse_buffered(x.parser, buffer_, true));
}

asio::awaitable<step> connection::read_body(exchange& x) {
  registration_.request_deadline_in(config_.read_timeout);
  // The client waits for this before it sends the body (unless it has sent it already).
  if (beast::iequals(x.parser.expect(), "100-continue")) {
    static constexpr std::string_view proceed = "HTTP/1.1 100 Continue\r\n\r\n";
    auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(proceed), use_tuple);
    if (ec) co_return step::drop;
  }
  auto [ec, n] = co_await http::async_read(socket_, buffer_, x.parser, use_tuple);
  co_return body_read(x, ec);
}

step connection::body_read(exchange& x, const beast::error_code& ec) {
  if (ec == http::error::body_limit) return refuse(x, protocol_error::body_too_large, {});
  if (registration_.timed_out()) return refuse(x, protocol_error::request_timeout, {});
  if (ec == boost::system::errc::illegal_byte_sequence)
    return refuse(x, protocol_error::corrupt_body, {});
  if (is_malformed(ec)) return refuse(x, protocol_error::malformed_request, ec.message());
  if (ec) return step::drop;
  if (!x.parser.is_done()) return step::read_body;
  x.request.body = x.parser.body().take();
  return step::respond;
}

step connection::refuse(exchange& x, protocol_error error, std::string_view detail) {
  x.answer = handler_.on_protocol_error(error, detail);
  x.reply.keep_alive = false;
  return step::respond;
}

// Sends the answer: the head serialized into the reused string and the body go out in one
// gather write, and only what the socket does not take at once waits for it. A response to
// HEAD keeps its head and drops its body, or the next response on the connection would be
// read as the rest of this one. Returns whether the connection carries another request.
asio::awaitable<bool> connection::respond(exchange& x) {
  if (!x.answer) {
    registration_.no_deadline();  // the client is not the one keeping us waiting now
    try {
      x.answer = co_await handler_.respond(x.route, x.request);
    } catch (const std::exception& e) {
      x.answer =
          handler_.on_protocol_error(protocol_error::internal_error,
                                     x.request.method + " " + x.request.target + ": " + e.what());
    }
  }
  // With a body left unread, this connection cannot carry another request.
  x.reply.keep_alive =
      x.reply.keep_alive && x.parser.is_done() && !x.answer->close && !registry_.stopping;
  write_response_head(*x.answer, x.reply, head_text_);
  std::array<asio::const_buffer, 2> parts{
      asio::buffer(head_text_),
      x.reply.head_only ? asio::const_buffer{} : asio::buffer(x.answer->body)};
  registration_.deadline_in(config_.read_timeout);
  bool sent = !write_at_once(socket_, parts);
  if (sent && parts[0].size() + parts[1].size() != 0) {
    auto [ec, n] = co_await asio::async_write(socket_, parts, use_tuple);
    sent = !ec;
  }
  handler_.on_answered(x.routed ? &x.route : nullptr, x.answer->status, x.request.body.size(),
                       std::chrono::steady_clock::now() - x.started);
  const bool another = sent && x.reply.keep_alive;
  co_return another;
}

// Lingering close: read what the client is still sending, so that closing does not reset
// the connection before it has read our answer (a 401 or 413 sent before its body).
asio::awaitable<void> connection::linger() {
  beast::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
  registration_.deadline_in(std::chrono::seconds{1});
  std::array<char, 8192> sink{};
  for (std::size_t drained = 0; drained < config_.body_limit + config_.header_limit;) {
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(sink), use_tuple);
    if (ec) break;
    drained += n;
  }
}

}  // namespace

// The protocol, one request at a time: read its head, admit it, read its body, respond;
// repeat while keep-alive lasts (as Beast's awaitable server examples do).
asio::awaitable<void> run_session(tcp::socket socket, const server_config& config,
                                  request_handler& handler, session_registry& registry) {
  connection conn{socket, config, handler, registry};
  while (!registry.stopping) {
    exchange x{config};
    auto next = co_await conn.read_head(x);
    if (next == step::admit) next = conn.admit(x);
    if (next == step::read_body) next = conn.take_buffered_body(x);
    if (next == step::read_body) next = co_await conn.read_body(x);
    if (next != step::respond || !co_await conn.respond(x)) break;
  }
  co_await conn.linger();
}

}  // namespace evs::server
