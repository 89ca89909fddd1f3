#pragma once
// The propagator's METRICS_PORT: GET /metrics and nothing else, on a listener of its own with
// one I/O thread, served while the run loop runs. The propagator stops it: the listener leaves
// SIGINT and SIGTERM to the propagator's own signal handling.
#include "propagator/propagator_metrics.hpp"
#include "server/http_server.hpp"
#include "server/request_handler.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <thread>

namespace evs::propagator {

// 404 for another path, 405 for another method, 413 for a body: a scrape sends none.
class metrics_handler final : public server::request_handler {
 public:
  // The text a scrape gets (event-loader serves its own metrics through this listener too).
  using render_function = std::function<std::string()>;

  explicit metrics_handler(const propagator_metrics& metrics);
  explicit metrics_handler(render_function render) : render_{std::move(render)} {}

  server::admission admit(const server::http_request& head) override;
  boost::asio::awaitable<server::http_response> respond(
      const server::matched_route& route, const server::http_request& request) override;
  server::http_response on_protocol_error(server::protocol_error error,
                                          std::string_view detail) override;

 private:
  render_function render_;
};

class metrics_listener {
 public:
  // Binds at once (throws std::runtime_error naming the address when it cannot), then serves
  // on a thread of its own until destroyed.
  metrics_listener(const std::string& host, std::uint16_t port, const propagator_metrics& metrics);
  metrics_listener(const std::string& host, std::uint16_t port,
                   metrics_handler::render_function render);
  ~metrics_listener();
  metrics_listener(const metrics_listener&) = delete;
  metrics_listener& operator=(const metrics_listener&) = delete;

  std::uint16_t port() const { return server_.port(); }

 private:
  metrics_handler handler_;
  server::http_server server_;
  std::thread thread_;
};

}  // namespace evs::propagator
