#include "propagator/metrics_endpoint.hpp"

#include "metrics/exposition.hpp"

namespace evs::propagator {
namespace {

server::http_response text_response(unsigned status, std::string body) {
  server::http_response res;
  res.status = status;
  res.content_type = "text/plain; charset=utf-8";
  res.body = std::move(body) + "\n";
  return res;
}

server::admission refuse(server::http_response refusal) { return {std::move(refusal), {}}; }

unsigned status_of(server::protocol_error error) {
  switch (error) {
    case server::protocol_error::malformed_request: return 400;
    case server::protocol_error::request_timeout: return 408;
    case server::protocol_error::header_too_large: return 431;
    case server::protocol_error::body_too_large: return 413;
    case server::protocol_error::unsupported_encoding: return 415;
    case server::protocol_error::corrupt_body: return 400;
    case server::protocol_error::expectation_failed: return 417;
    case server::protocol_error::version_not_supported: return 505;
    case server::protocol_error::internal_error: return 500;
  }
  return 500;
}

// A scrape every few seconds needs no more than one thread, and a short drain on stop.
server::server_config listener_config(const std::string& host, std::uint16_t port) {
  server::server_config c;
  c.host = host;
  c.port = port;
  c.threads = 1;
  c.max_connections = 64;
  c.body_limit = 1024;
  c.shutdown_timeout = std::chrono::milliseconds{1000};
  c.handle_signals = false;
  c.thread_name = "evs-metrics";
  return c;
}

}  // namespace

metrics_handler::metrics_handler(const propagator_metrics& metrics)
    : render_{[&metrics] {
        return render_metrics(metrics, metrics::read_process_stats(), EVS_VERSION);
      }} {}

server::admission metrics_handler::admit(const server::http_request& head) {
  if (head.path != "/metrics") return refuse(text_response(404, "Not found: try GET /metrics"));
  if (head.method != "GET") {
    auto res = text_response(405, "Method not allowed: GET only");
    res.header("Allow", "GET");
    return refuse(std::move(res));
  }
  if (head.has_body()) return refuse(text_response(413, "A scrape sends no body"));
  return {};
}

boost::asio::awaitable<server::http_response> metrics_handler::respond(
    const server::matched_route& /*route*/, const server::http_request& /*request*/) {
  server::http_response res;
  res.content_type = std::string{metrics::exposition_content_type};
  res.body = render_();
  co_return res;
}

server::http_response metrics_handler::on_protocol_error(server::protocol_error error,
                                                         std::string_view /*detail*/) {
  auto res = text_response(status_of(error), "Bad request");
  res.close = true;
  return res;
}

metrics_listener::metrics_listener(const std::string& host, std::uint16_t port,
                                   const propagator_metrics& metrics)
    : handler_{metrics}, server_{listener_config(host, port), handler_} {
  thread_ = std::thread{[this] { server_.run(); }};
}

metrics_listener::metrics_listener(const std::string& host, std::uint16_t port,
                                   metrics_handler::render_function render)
    : handler_{std::move(render)}, server_{listener_config(host, port), handler_} {
  thread_ = std::thread{[this] { server_.run(); }};
}

metrics_listener::~metrics_listener() {
  server_.stop();
  thread_.join();
}

}  // namespace evs::propagator
