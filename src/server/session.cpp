#include "server/session.hpp"

#include "server/response_head.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>
#include <array>
#include <chrono>

namespace evs::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using request_parser = http::request_parser<http::string_body>;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

http_request make_request(const request_parser& parser) {
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

// A request usually arrives in one segment: parse what is already buffered (the header
// alone, or with `eager` the body too), so that only bytes still on their way cost another
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

// Sends head and body in one gather write. A response to HEAD keeps its headers and drops
// its body, or the next response on the connection would be read as the rest of this one.
// Most answers fit in the socket's send buffer, so the write is tried at once and only a
// rest waits for the socket.
asio::awaitable<beast::error_code> send(tcp::socket& socket, const http_response& res,
                                        unsigned version, bool keep_alive, bool head,
                                        std::string& head_text) {
  write_response_head(res, version, keep_alive, head_text);
  std::array<asio::const_buffer, 2> parts{asio::buffer(head_text),
                                          head ? asio::const_buffer{} : asio::buffer(res.body)};
  beast::error_code ec;
  std::size_t written = socket.write_some(parts, ec);  // the socket is non-blocking
  if (ec && ec != asio::error::would_block) co_return ec;
  for (auto& part : parts) {
    const auto skip = std::min(written, part.size());
    part += skip;
    written -= skip;
  }
  if (parts[0].size() + parts[1].size() == 0) co_return beast::error_code{};
  std::tie(ec, written) = co_await asio::async_write(socket, parts, use_tuple);
  co_return ec;
}

bool ends_connection(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::operation_aborted ||
         ec == asio::error::bad_descriptor || ec == asio::error::connection_reset ||
         ec == asio::error::eof;
}

}  // namespace

asio::awaitable<void> run_session(tcp::socket socket, const server_config& config,
                                  request_handler& handler, session_registry& registry) {
  registration reg{registry, socket};
  beast::error_code ignored;
  socket.non_blocking(true, ignored);  // lets send() try a write without waiting
  beast::flat_buffer buffer;
  std::string head_text;  // reused for every response on this connection
  bool first = true;

  while (!registry.stopping) {
    request_parser parser;
    parser.header_limit(static_cast<std::uint32_t>(config.header_limit));
    // No body limit until the handler has seen the headers: a request without a valid token
    // is answered 401 whatever its size. The limit is set before the body is read.
    parser.body_limit(boost::none);

    reg.set_idle(true);
    if (!first && buffer.size() == 0) {
      // Between requests a keep-alive connection may wait up to the idle timeout...
      reg.deadline_in(config.idle_timeout);
      auto [iec, in] = co_await socket.async_read_some(buffer.prepare(4096), use_tuple);
      if (iec) break;
      buffer.commit(in);
    }
    // ...but once a request has begun, all of its header must come within the read timeout.
    reg.deadline_in(config.read_timeout);
    auto ec = parse_buffered(parser, buffer, false);
    std::size_t n = 0;
    if (!ec && !parser.is_header_done())
      std::tie(ec, n) = co_await http::async_read_header(socket, buffer, parser, use_tuple);
    reg.set_idle(false);
    first = false;
    if (ends_connection(ec)) break;
    if (ec) {
      const auto error = ec == http::error::header_limit ? protocol_error::header_too_large
                                                         : protocol_error::malformed_request;
      reg.deadline_in(config.read_timeout);
      co_await send(socket, handler.on_protocol_error(error, ec.message()), 11, false, false,
                    head_text);
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
      reg.deadline_in(config.read_timeout);
      const auto wec = co_await send(socket, *early, version, keep, head, head_text);
      if (wec || !keep) break;
      continue;
    }

    parser.body_limit(config.body_limit);
    bool too_large = request.content_length && *request.content_length > config.body_limit;
    if (!too_large && beast::iequals(parser.get()[http::field::expect], "100-continue")) {
      static constexpr std::string_view proceed = "HTTP/1.1 100 Continue\r\n\r\n";
      reg.deadline_in(config.read_timeout);
      auto [wec, wn] = co_await asio::async_write(socket, asio::buffer(proceed), use_tuple);
      if (wec) break;
    }
    if (!too_large) {
      // One allocation for the whole body instead of a growing string copied as it doubles.
      if (request.content_length) parser.get().body().reserve(*request.content_length);
      ec = parse_buffered(parser, buffer, true);
      if (!ec && !parser.is_done()) {
        reg.deadline_in(config.read_timeout);
        std::tie(ec, n) = co_await http::async_read(socket, buffer, parser, use_tuple);
      }
      too_large = ec == http::error::body_limit;
      if (ec && !too_large) break;
    }
    if (too_large) {
      reg.deadline_in(config.read_timeout);
      co_await send(socket, handler.on_protocol_error(protocol_error::body_too_large, {}), version,
                    false, head, head_text);
      break;
    }
    request.body = std::move(parser.get().body());

    reg.no_deadline();
    http_response response;
    try {
      response = co_await handler.on_request(std::move(request));
    } catch (const std::exception& e) {
      response = handler.on_protocol_error(
          protocol_error::internal_error, std::string{parser.get().method_string()} + " " +
                                              std::string{parser.get().target()} + ": " + e.what());
    }
    const bool keep = keep_alive && !response.close && !registry.stopping;
    reg.deadline_in(config.read_timeout);
    const auto wec = co_await send(socket, response, version, keep, head, head_text);
    if (wec || !keep) break;
  }
  socket.shutdown(tcp::socket::shutdown_send, ignored);
  // Lingering close: read what the client is still sending, so that closing does not reset
  // the connection before it has read our answer (a 401 or 413 sent before its body).
  reg.deadline_in(std::chrono::seconds{1});
  std::array<char, 8192> sink{};
  for (std::size_t drained = 0; drained < config.body_limit + config.header_limit;) {
    auto [rec, rn] = co_await socket.async_read_some(asio::buffer(sink), use_tuple);
    if (rec) break;
    drained += rn;
  }
}

}  // namespace evs::server
