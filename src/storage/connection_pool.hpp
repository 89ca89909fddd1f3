#pragma once
// A fixed number of database connections shared by threads, for the server stores (PostgreSQL,
// MariaDB). Connections are opened lazily and replaced when they break, so a store heals by
// itself once the server is back; after a failed connect, one caller at a time probes the
// server while the others fail at once.
//
// Traits says what differs between the client libraries:
//   using connection, connect_options, error   (error: what connecting throws)
//   static constexpr std::string_view server   (the product, in messages and logs)
//   [[noreturn]] static void unavailable(const std::string& what)   (throws a transient error)
//   static bool reusable(const connection&)    (may be handed to the next caller)
#include "runtime/log.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace evs::storage {

template <class Traits>
class connection_pool {
 public:
  using connection = typename Traits::connection;
  using connect_options = typename Traits::connect_options;

  struct settings {
    // What the connections are for ("writer", "reader"), named when one is dropped.
    std::string role = "writer";
    std::size_t size = 4;
    // How long a caller waits for a connection that another thread is using.
    std::chrono::milliseconds acquire_timeout{5000};
    // After a failed connect, callers fail at once for this long instead of each waiting for
    // a connect timeout of their own against an unreachable server.
    std::chrono::milliseconds reconnect_holdoff{500};

    // `size` connections (at least one) for `role`, the other settings as above.
    static settings sized(std::string role, std::size_t size) {
      settings s;
      s.role = std::move(role);
      s.size = size == 0 ? 1 : size;
      return s;
    }
  };

  // One connection, returned to the pool when the lease ends; a broken one is dropped.
  class lease {
   public:
    lease(connection_pool& pool, std::unique_ptr<connection> conn, bool fresh) noexcept
        : pool_{&pool}, conn_{std::move(conn)}, fresh_{fresh} {}
    ~lease() {
      if (pool_ != nullptr) pool_->release(std::move(conn_));
    }
    lease(lease&& other) noexcept
        : pool_{std::exchange(other.pool_, nullptr)},
          conn_{std::move(other.conn_)},
          fresh_{other.fresh_} {}
    lease& operator=(lease&&) = delete;
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;

    connection& operator*() const noexcept { return *conn_; }
    connection* operator->() const noexcept { return conn_.get(); }
    // Opened for this lease, rather than reused: a failure on it is not a stale connection.
    bool fresh() const noexcept { return fresh_; }
    // Closes the connection instead of returning it to the pool, and logs why: the next
    // lease connects again (with several hosts, to whichever is the primary by then).
    void discard(std::string_view reason) noexcept {
      if (conn_ == nullptr) return;
      if (pool_ != nullptr) pool_->log_drop(*conn_, reason);
      conn_.reset();
    }
    void assign(std::unique_ptr<connection> conn, bool fresh) noexcept {
      conn_ = std::move(conn);
      fresh_ = fresh;
    }

   private:
    connection_pool* pool_;
    std::unique_ptr<connection> conn_;
    bool fresh_;
  };

  connection_pool(connect_options options, settings config)
      : options_{std::move(options)}, settings_{std::move(config)}, free_slots_{settings_.size} {
    idle_.reserve(settings_.size);
  }

  // Throws Traits' transient error when no connection can be had now.
  lease acquire() {
    std::unique_ptr<connection> conn;
    {
      std::unique_lock lock{mutex_};
      if (!slot_freed_.wait_for(lock, settings_.acquire_timeout, [&] { return free_slots_ > 0; }))
        Traits::unavailable("all " + std::to_string(settings_.size) + " " +
                            std::string{Traits::server} + " connections are busy");
      --free_slots_;
      if (!idle_.empty()) {
        conn = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    // The lease owns the slot from here on, so every exit below gives it back.
    lease held{*this, nullptr, true};
    if (conn != nullptr) {
      if (conn->usable()) {
        held.assign(std::move(conn), false);
        return held;
      }
      log_drop(*conn, "closed while idle in the pool: " + conn->last_error());
      conn.reset();
    }
    held.assign(connect(), true);
    return held;
  }

  std::size_t size() const noexcept { return settings_.size; }
  const std::string& role() const noexcept { return settings_.role; }

  // Whether calls on this pool are failing, so that an outage is logged once when it starts
  // and once when it ends, not once per call. Each returns true when it changed the state.
  bool mark_unavailable() noexcept { return !unavailable_.exchange(true); }
  bool mark_available() noexcept {
    return unavailable_.load(std::memory_order_relaxed) && unavailable_.exchange(false);
  }

 private:
  using clock = std::chrono::steady_clock;

  std::unique_ptr<connection> connect() {
    const auto last_failure = last_connect_failure_.load();
    if (last_failure != 0) {
      // The server was unreachable a moment ago: one caller at a time finds out whether it is
      // back, the others fail at once rather than each waiting for a connect timeout.
      if (clock::now() - clock::time_point{clock::duration{last_failure}} <
          settings_.reconnect_holdoff)
        Traits::unavailable(std::string{Traits::server} + " unreachable (will retry shortly)");
      if (probing_.exchange(true))
        Traits::unavailable(std::string{Traits::server} + " unreachable (reconnecting)");
    }
    struct end_probe {
      std::atomic<bool>& flag;
      bool owned;
      ~end_probe() {
        if (owned) flag.store(false);
      }
    } probe{probing_, last_failure != 0};
    try {
      auto fresh = std::make_unique<connection>(options_);
      last_connect_failure_.store(0);
      return fresh;
    } catch (const typename Traits::error&) {
      last_connect_failure_.store(clock::now().time_since_epoch().count());
      throw;
    }
  }

  void release(std::unique_ptr<connection> conn) noexcept {
    // A connection left broken (or, where the library can tell, inside a transaction) is not
    // handed to the next caller.
    if (conn != nullptr && !Traits::reusable(*conn)) {
      log_drop(*conn, "left broken or inside a transaction: " + conn->last_error());
      conn.reset();
    }
    {
      const std::lock_guard lock{mutex_};
      if (conn != nullptr) idle_.push_back(std::move(conn));
      ++free_slots_;
    }
    slot_freed_.notify_one();
  }

  void log_drop(const connection& conn, std::string_view reason) const noexcept {
    try {
      log::warn(
          std::string{Traits::server} + " connection dropped",
          {{"pool", settings_.role}, {"server", conn.target()}, {"reason", std::string{reason}}});
    } catch (...) {
      // Logging must not turn a dropped connection into a failed call.
    }
  }

  const connect_options options_;
  const settings settings_;
  std::mutex mutex_;
  std::condition_variable slot_freed_;
  std::vector<std::unique_ptr<connection>> idle_;
  std::size_t free_slots_;
  std::atomic<clock::rep> last_connect_failure_{0};  // 0: none pending
  std::atomic<bool> probing_{false};
  std::atomic<bool> unavailable_{false};
};

}  // namespace evs::storage
