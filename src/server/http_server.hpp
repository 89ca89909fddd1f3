#pragma once
// Listener: one io_context and one SO_REUSEPORT acceptor per I/O thread, so connections are
// spread by the kernel and a connection's work never crosses threads.
#include "server/request_handler.hpp"
#include "server/server_config.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace evs::server {

class http_server {
 public:
  // Shared by every thread's acceptor: one atomic add per connection, not per request.
  struct connection_limit {
    std::atomic<std::size_t> open{0};
    std::size_t max = 0;
  };

  // Binds at once (throws std::runtime_error naming HOST/PORT when it cannot).
  http_server(const server_config& config, request_handler& handler);
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  std::uint16_t port() const { return port_; }
  // Connections held at once; more are closed as soon as they are accepted.
  std::size_t max_connections() const { return limit_.max; }
  // Connections held now (a relaxed read, for the metrics).
  std::size_t open_connections() const { return limit_.open.load(std::memory_order_relaxed); }

  // Serves until stop() or SIGINT/SIGTERM, then drains in-flight requests for at most
  // shutdown_timeout. Returns with all I/O threads joined.
  void run();

  // Thread-safe; may be called before or during run().
  void stop();

  // When the whole stop must be over: shutdown_timeout after stop() or the signal.
  std::chrono::steady_clock::time_point shutdown_deadline() const;

 private:
  struct worker;

  void begin_shutdown();

  server_config config_;
  request_handler& handler_;
  std::uint16_t port_ = 0;
  connection_limit limit_;
  std::vector<std::unique_ptr<worker>> workers_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stop_requested_ = false;
  std::chrono::steady_clock::time_point stop_requested_at_;
  std::size_t running_threads_ = 0;
};

}  // namespace evs::server
