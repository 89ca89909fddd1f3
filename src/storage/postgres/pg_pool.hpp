#pragma once
// A fixed number of connections shared by threads. Connections are opened lazily and
// replaced when they break, so the store heals by itself once the server is back.
#include "storage/postgres/pg_connection.hpp"

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

namespace evs::storage::postgres {

class connection_pool {
 public:
  struct settings {
    // What the connections are for ("writer", "reader"), named when one is dropped.
    std::string role = "writer";
    std::size_t size = 4;
    // How long a caller waits for a connection that another thread is using.
    std::chrono::milliseconds acquire_timeout{5000};
    // After a failed connect, callers fail at once for this long instead of each waiting for
    // a connect timeout of their own against an unreachable server.
    std::chrono::milliseconds reconnect_holdoff{500};
  };

  // One connection, returned to the pool when the lease ends; a broken one is dropped.
  class lease {
   public:
    lease(connection_pool& pool, std::unique_ptr<connection> conn, bool fresh) noexcept
        : pool_{&pool}, conn_{std::move(conn)}, fresh_{fresh} {}
    ~lease();
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
    // lease connects again, to whichever host is the primary by then.
    void discard(std::string_view reason) noexcept;
    void assign(std::unique_ptr<connection> conn, bool fresh) noexcept {
      conn_ = std::move(conn);
      fresh_ = fresh;
    }

   private:
    connection_pool* pool_;
    std::unique_ptr<connection> conn_;
    bool fresh_;
  };

  connection_pool(connect_options options, settings config);

  // Throws pg_error (transient) when no connection can be had now.
  lease acquire();
  std::size_t size() const noexcept { return settings_.size; }
  const std::string& role() const noexcept { return settings_.role; }

  // Whether calls on this pool are failing, so that an outage is logged once when it starts
  // and once when it ends, not once per call. Each returns true when it changed the state.
  bool mark_unavailable() noexcept { return !unavailable_.exchange(true); }
  bool mark_available() noexcept {
    return unavailable_.load(std::memory_order_relaxed) && unavailable_.exchange(false);
  }

 private:
  void release(std::unique_ptr<connection> conn) noexcept;
  void log_drop(const connection& conn, std::string_view reason) const noexcept;

  const connect_options options_;
  const settings settings_;
  std::mutex mutex_;
  std::condition_variable slot_freed_;
  std::vector<std::unique_ptr<connection>> idle_;
  std::size_t free_slots_;
  std::atomic<std::chrono::steady_clock::rep> last_connect_failure_{0};  // 0: none pending
  std::atomic<bool> probing_{false};
  std::atomic<bool> unavailable_{false};
};

}  // namespace evs::storage::postgres
