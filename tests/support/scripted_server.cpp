#include "support/scripted_server.hpp"

#include "codec/body_inflater.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>
#include <deque>
#include <mutex>
#include <thread>

namespace evs::test {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

template <class View>
std::string text(const View& view) {
  return {view.data(), view.size()};
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The body as JSON text: a compressed one (the propagator's COMPRESS=gzip) decoded, as the
// consumer decodes it.
std::string json_text(const recorded_request& r) {
  const auto coding = r.headers.find("content-encoding");
  if (coding == r.headers.end()) return r.body;
  const auto known = codec::parse_content_coding(coding->second);
  if (!known || *known == codec::content_coding::identity) return r.body;
  codec::body_inflater inflater{*known};
  std::string decoded;
  inflater.feed(r.body, decoded, std::string{}.max_size());
  return decoded;
}

recorded_request record(const http::request<http::string_body>& request, std::size_t connection) {
  recorded_request r;
  r.method = text(request.method_string());
  r.target = text(request.target());
  for (const auto& field : request)
    r.headers[lower(text(field.name_string()))] = text(field.value());
  r.body = request.body();
  r.connection = connection;
  return r;
}

}  // namespace

struct scripted_server::parts {
  explicit parts(std::uint16_t port) {
    const tcp::endpoint endpoint{asio::ip::address_v4::loopback(), port};
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen();
    bound_port = acceptor.local_endpoint().port();
    asio::co_spawn(ioc, accept_loop(), asio::detached);
    thread = std::thread{[this] { ioc.run(); }};
  }

  ~parts() {
    // Connections still open (a hung request) end with the io_context.
    ioc.stop();
    thread.join();
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
      if (ec) co_return;
      std::size_t number = 0;
      {
        const std::lock_guard lock{mutex};
        number = ++connections;
      }
      asio::co_spawn(ioc, serve(std::move(socket), number), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket, std::size_t number) {
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(64U << 20U);
      if (auto [ec, n] = co_await http::async_read(socket, buffer, parser, use_tuple); ec)
        co_return;
      const auto& request = parser.get();
      auto reply = answer_to(record(request, number));
      switch (reply.what) {
        case scripted_reply::kind::close:
        case scripted_reply::kind::commit_close: co_return;  // the socket closes with this frame
        case scripted_reply::kind::hang: {
          // Hold the connection, unanswered, until the client gives up and closes it.
          char byte = 0;
          co_await socket.async_read_some(asio::buffer(&byte, 1), use_tuple);
          co_return;
        }
        case scripted_reply::kind::answer: break;
      }
      http::response<http::string_body> response{static_cast<http::status>(reply.status),
                                                 request.version(), std::move(reply.body)};
      response.set(http::field::content_type, "application/json");
      for (const auto& [name, value] : reply.headers) response.set(name, value);
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      if (auto [ec, n] = co_await http::async_write(socket, response, use_tuple); ec) co_return;
      if (!response.keep_alive()) co_return;
    }
  }

  // Records the request and takes the next reply; a commit stores the events like the consumer.
  scripted_reply answer_to(recorded_request request) {
    const std::lock_guard lock{mutex};
    scripted_reply reply;
    if (!script.empty()) {
      reply = std::move(script.front());
      script.pop_front();
    }
    const bool commits =
        reply.what == scripted_reply::kind::commit_close ||
        (reply.what == scripted_reply::kind::answer && reply.status >= 200 && reply.status < 300);
    if (commits) {
      std::size_t accepted = 0;
      std::size_t duplicates = 0;
      const auto events = boost::json::parse(json_text(request));
      for (const auto& e : events.as_array()) {
        const std::string id{e.as_object().at("event_id").as_string()};
        (deliveries[id]++ == 0 ? accepted : duplicates)++;
      }
      if (reply.body.empty())
        reply.body = R"({"status_code":"200","accepted":)" + std::to_string(accepted) +
                     R"(,"duplicates":)" + std::to_string(duplicates) + "}";
    }
    requests.push_back(std::move(request));
    return reply;
  }

  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  mutable std::mutex mutex;
  std::deque<scripted_reply> script;
  std::vector<recorded_request> requests;
  std::map<std::string, int> deliveries;
  std::size_t connections = 0;
  std::uint16_t bound_port = 0;
  std::thread thread;
};

scripted_server::scripted_server(std::uint16_t port) : parts_{std::make_unique<parts>(port)} {}

scripted_server::~scripted_server() = default;

std::uint16_t scripted_server::port() const noexcept { return parts_->bound_port; }

void scripted_server::push(scripted_reply reply) {
  const std::lock_guard lock{parts_->mutex};
  parts_->script.push_back(std::move(reply));
}

void scripted_server::push(int status, std::string body,
                           std::vector<std::pair<std::string, std::string>> headers) {
  push(scripted_reply{scripted_reply::kind::answer, status, std::move(body), std::move(headers)});
}

void scripted_server::push(scripted_reply::kind what) { push(scripted_reply{what, 0, {}, {}}); }

std::vector<recorded_request> scripted_server::requests() const {
  const std::lock_guard lock{parts_->mutex};
  return parts_->requests;
}

std::size_t scripted_server::connections() const {
  const std::lock_guard lock{parts_->mutex};
  return parts_->connections;
}

std::map<std::string, int> scripted_server::deliveries() const {
  const std::lock_guard lock{parts_->mutex};
  return parts_->deliveries;
}

std::uint16_t unused_port() {
  asio::io_context ioc;
  const tcp::acceptor acceptor{ioc, tcp::endpoint{asio::ip::address_v4::loopback(), 0}};
  return acceptor.local_endpoint().port();
}

}  // namespace evs::test
