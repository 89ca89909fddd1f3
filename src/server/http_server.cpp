#include "server/http_server.hpp"

#include "runtime/log.hpp"
#include "runtime/rate_limited_log.hpp"
#include "runtime/thread_name.hpp"
#include "server/open_files.hpp"
#include "server/session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <sys/socket.h>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>

namespace evs::server {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct http_server::worker {
  // Declared first so it outlives the io_context, whose destructor ends pending sessions.
  session_registry registry;
  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  std::thread thread;
  // The first worker's: SIGINT and SIGTERM, caught from construction on, so that a signal
  // sent as soon as "listening" is logged is queued for run() instead of killing the process.
  std::optional<asio::signal_set> signals;
};

namespace {

void open_acceptor(tcp::acceptor& acceptor, const tcp::endpoint& endpoint) {
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  // Every worker binds the same port; the kernel spreads new connections among them.
  const int on = 1;
  if (::setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0)
    throw std::runtime_error("cannot set SO_REUSEPORT");
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
}

// Out of descriptors (or kernel memory): accepting again at once would fail again at once.
// Compared as error codes of the system category, not as portable error conditions, which
// would go through the category's virtual equivalent().
bool out_of_resources(const boost::system::error_code& ec) {
  if (ec.category() != asio::error::get_system_category()) return false;
  const int value = ec.value();
  return value == EMFILE || value == ENFILE || value == ENOBUFS || value == ENOMEM;
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, const server_config& config,
                                  request_handler& handler, session_registry& registry,
                                  http_server::connection_limit& limit) {
  constexpr auto pause = std::chrono::milliseconds{100};
  constexpr auto log_interval = std::chrono::seconds{10};
  runtime::rate_limited_log accept_failed{log_interval};
  runtime::rate_limited_log over_limit{log_interval};
  asio::steady_timer timer{acceptor.get_executor()};
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) {
      accept_failed.note([&failure = ec](std::uint64_t count) {
        log::warn("accept failed",
                  {{"error", failure.message()}, {"count", std::to_string(count)}});
      });
      // The pending connections wait in the backlog until descriptors are free again.
      if (out_of_resources(ec)) {
        timer.expires_after(pause);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      }
      continue;
    }
    if (limit.open.fetch_add(1, std::memory_order_relaxed) >= limit.max) {
      limit.open.fetch_sub(1, std::memory_order_relaxed);
      over_limit.note([&](std::uint64_t count) {
        log::warn("connection refused: MAX_CONNECTIONS reached",
                  {{"error", std::to_string(limit.max) + " connections open"},
                   {"count", std::to_string(count)}});
      });
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    socket.set_option(tcp::no_delay(true));
    asio::co_spawn(acceptor.get_executor(),
                   run_session(std::move(socket), config, handler, registry),
                   [&limit](const std::exception_ptr& e) {
                     limit.open.fetch_sub(1, std::memory_order_relaxed);
                     if (!e) return;
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& ex) {
                       log::error("connection failed", {{"error", ex.what()}});
                     }
                   });
  }
}

}  // namespace

http_server::http_server(const server_config& config, request_handler& handler)
    : config_{config}, handler_{handler} {
  limit_.max = config.max_connections != 0 ? config.max_connections
                                           : default_max_connections(raise_open_file_limit());
  const std::size_t threads =
      config.threads != 0 ? config.threads : std::max(1U, std::thread::hardware_concurrency());
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(config.host, ec);
  if (ec) throw std::runtime_error("HOST: not an IP address: " + config.host);
  tcp::endpoint endpoint{address, config.port};
  if (config.port != 0) {
    // SO_REUSEPORT would let a second consumer share a busy port and split its traffic
    // silently; a plain bind first makes "address in use" an error, as users expect.
    asio::io_context probe_context;
    tcp::acceptor probe{probe_context};
    probe.open(endpoint.protocol());
    probe.set_option(asio::socket_base::reuse_address(true));
    probe.bind(endpoint, ec);
    if (ec)
      throw std::runtime_error("PORT: cannot listen on " + config.host + ":" +
                               std::to_string(config.port) + ": " + ec.message());
  }
  for (std::size_t i = 0; i < threads; ++i) {
    auto w = std::make_unique<worker>();
    try {
      open_acceptor(w->acceptor, endpoint);
    } catch (const std::exception& e) {
      throw std::runtime_error("PORT: cannot listen on " + config.host + ":" +
                               std::to_string(endpoint.port()) + ": " + e.what());
    }
    // Port 0 picks a free port once; the other workers join the same one.
    endpoint.port(w->acceptor.local_endpoint().port());
    workers_.push_back(std::move(w));
  }
  port_ = endpoint.port();
  if (config.handle_signals)
    workers_.front()->signals.emplace(workers_.front()->ioc, SIGINT, SIGTERM);
}

http_server::~http_server() {
  stop();
  for (auto& w : workers_)
    if (w->thread.joinable()) {
      w->ioc.stop();
      w->thread.join();
    }
}

void http_server::stop() {
  {
    const std::lock_guard lock{mutex_};
    if (!stop_requested_) stop_requested_at_ = std::chrono::steady_clock::now();
    stop_requested_ = true;
  }
  changed_.notify_all();
}

void http_server::begin_shutdown() {
  for (auto& w : workers_) {
    asio::post(w->ioc, [&w = *w] {
      w.registry.stopping = true;
      boost::system::error_code ignored;
      w.acceptor.close(ignored);
      // Idle keep-alive connections go now; busy ones close after their response.
      for (auto& s : w.registry.sessions)
        if (s.idle) s.socket->close(ignored);
    });
  }
}

std::chrono::steady_clock::time_point http_server::shutdown_deadline() const {
  const std::lock_guard lock{mutex_};
  return stop_requested_at_ + config_.shutdown_timeout;
}

void http_server::run() {
  auto& signals = workers_.front()->signals;
  if (signals) {
    signals->async_wait([this](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      log::info("signal received, shutting down", {{"signal", std::to_string(signal)}});
      stop();
    });
  }
  const auto tick = deadline_tick(std::min(config_.read_timeout, config_.idle_timeout));
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    auto& w = workers_[i];
    asio::co_spawn(w->ioc, accept_loop(w->acceptor, config_, handler_, w->registry, limit_),
                   asio::detached);
    asio::co_spawn(w->ioc, enforce_deadlines(w->registry, tick), asio::detached);
    {
      const std::lock_guard lock{mutex_};
      ++running_threads_;
    }
    w->thread = std::thread{[this, &w = *w, name = config_.thread_name + "-" + std::to_string(i)] {
      runtime::name_this_thread(name);
      w.ioc.run();
      {
        const std::lock_guard lock{mutex_};
        --running_threads_;
      }
      changed_.notify_all();
    }};
  }

  std::unique_lock lock{mutex_};
  changed_.wait(lock, [this] { return stop_requested_; });
  lock.unlock();
  if (signals) asio::post(workers_.front()->ioc, [&signals] { signals->cancel(); });
  begin_shutdown();

  lock.lock();
  const bool drained = changed_.wait_until(lock, stop_requested_at_ + config_.shutdown_timeout,
                                           [this] { return running_threads_ == 0; });
  lock.unlock();
  if (!drained) {
    log::warn("shutdown timeout reached, closing remaining connections");
    for (auto& w : workers_) w->ioc.stop();
  }
  for (auto& w : workers_) w->thread.join();
}

}  // namespace evs::server
