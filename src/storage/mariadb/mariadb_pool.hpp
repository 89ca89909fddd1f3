#pragma once
// A fixed number of MariaDB connections shared by threads. Connections are opened lazily and
// replaced when they break, so the store heals by itself once the server is back.
#include "storage/mariadb/mariadb_connection.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace evs::storage::mariadb {

class connection_pool {
 public:
  struct settings {
    std::size_t size = 4;
    // How long a caller waits for a connection that another thread is using.
    std::chrono::milliseconds acquire_timeout{5000};
    // After a failed connect, callers fail at once for this long instead of each waiting for
    // a connect timeout of their own against an unreachable server.
    std::chrono::milliseconds reconnect_holdoff{500};
  };

  // One connection, back to the pool when the lease ends unless it broke meanwhile.
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
    // Opened for this lease: a failure on it is not a stale connection.
    bool fresh() const noexcept { return fresh_; }

   private:
    connection_pool* pool_;
    std::unique_ptr<connection> conn_;
    bool fresh_;
  };

  connection_pool(connect_options options, settings config);

  // Throws mariadb_error (transient) when no connection can be had now.
  lease acquire();
  std::size_t size() const noexcept { return settings_.size; }

 private:
  void release(std::unique_ptr<connection> conn) noexcept;
  std::unique_ptr<connection> connect();

  const connect_options options_;
  const settings settings_;
  std::mutex mutex_;
  std::condition_variable slot_freed_;
  std::vector<std::unique_ptr<connection>> idle_;
  std::size_t free_slots_;
  std::atomic<std::chrono::steady_clock::rep> last_connect_failure_{0};  // 0: none pending
  std::atomic<bool> probing_{false};
};

}  // namespace evs::storage::mariadb
