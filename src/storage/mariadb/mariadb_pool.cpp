#include "storage/mariadb/mariadb_pool.hpp"

#include <errmsg.h>

namespace evs::storage::mariadb {

connection_pool::lease::~lease() {
  if (pool_ != nullptr) pool_->release(std::move(conn_));
}

connection_pool::connection_pool(connect_options options, settings config)
    : options_{std::move(options)}, settings_{config}, free_slots_{config.size} {
  idle_.reserve(config.size);
}

connection_pool::lease connection_pool::acquire() {
  std::unique_ptr<connection> reused;
  {
    std::unique_lock lock{mutex_};
    if (!slot_freed_.wait_for(lock, settings_.acquire_timeout, [&] { return free_slots_ > 0; }))
      throw mariadb_error("all " + std::to_string(settings_.size) + " MariaDB connections are busy",
                          0, true);
    --free_slots_;
    if (!idle_.empty()) {
      reused = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (reused != nullptr && reused->usable()) return lease{*this, std::move(reused), false};
  reused.reset();
  try {
    return lease{*this, connect(), true};
  } catch (...) {
    release(nullptr);  // gives the slot back
    throw;
  }
}

std::unique_ptr<connection> connection_pool::connect() {
  using clock = std::chrono::steady_clock;
  const auto last_failure = last_connect_failure_.load();
  if (last_failure != 0) {
    // The server was unreachable a moment ago: one caller at a time finds out whether it is
    // back, the others fail at once rather than each waiting for a connect timeout.
    if (clock::now() - clock::time_point{clock::duration{last_failure}} <
        settings_.reconnect_holdoff)
      throw mariadb_error("MariaDB unreachable (will retry shortly)", CR_CONNECTION_ERROR, true);
    if (probing_.exchange(true))
      throw mariadb_error("MariaDB unreachable (reconnecting)", CR_CONNECTION_ERROR, true);
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
  } catch (const mariadb_error&) {
    last_connect_failure_.store(clock::now().time_since_epoch().count());
    throw;
  }
}

void connection_pool::release(std::unique_ptr<connection> conn) noexcept {
  {
    const std::lock_guard lock{mutex_};
    // A broken connection is not handed to the next caller.
    if (conn != nullptr && conn->open()) idle_.push_back(std::move(conn));
    ++free_slots_;
  }
  slot_freed_.notify_one();
}

}  // namespace evs::storage::mariadb
