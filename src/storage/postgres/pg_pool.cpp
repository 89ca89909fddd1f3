#include "storage/postgres/pg_pool.hpp"

#include "runtime/log.hpp"

#include <utility>

namespace evs::storage::postgres {

connection_pool::lease::~lease() {
  if (pool_ != nullptr) pool_->release(std::move(conn_));
}

void connection_pool::lease::discard(std::string_view reason) noexcept {
  if (conn_ == nullptr) return;
  if (pool_ != nullptr) pool_->log_drop(*conn_, reason);
  conn_.reset();
}

connection_pool::connection_pool(connect_options options, settings config)
    : options_{std::move(options)}, settings_{config}, free_slots_{config.size} {
  idle_.reserve(config.size);
}

connection_pool::lease connection_pool::acquire() {
  std::unique_ptr<connection> conn;
  {
    std::unique_lock lock{mutex_};
    if (!slot_freed_.wait_for(lock, settings_.acquire_timeout, [&] { return free_slots_ > 0; }))
      throw pg_error("all " + std::to_string(settings_.size) + " PostgreSQL connections are busy",
                     "", true);
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

  using clock = std::chrono::steady_clock;
  const auto last_failure = last_connect_failure_.load();
  if (last_failure != 0) {
    // The server was unreachable a moment ago: one caller at a time finds out whether it is
    // back, the others fail at once rather than each waiting for a connect timeout.
    if (clock::now() - clock::time_point{clock::duration{last_failure}} <
        settings_.reconnect_holdoff)
      throw pg_error("PostgreSQL unreachable (will retry shortly)", "", true);
    if (probing_.exchange(true)) throw pg_error("PostgreSQL unreachable (reconnecting)", "", true);
  }
  struct end_probe {
    std::atomic<bool>& flag;
    bool owned;
    ~end_probe() {
      if (owned) flag.store(false);
    }
  } probe{probing_, last_failure != 0};
  try {
    held.assign(std::make_unique<connection>(options_), true);
  } catch (const pg_error&) {
    last_connect_failure_.store(clock::now().time_since_epoch().count());
    throw;
  }
  last_connect_failure_.store(0);
  return held;
}

void connection_pool::release(std::unique_ptr<connection> conn) noexcept {
  // A connection left inside a transaction or broken is not handed to the next caller.
  if (conn != nullptr && !conn->idle_outside_transaction()) {
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

void connection_pool::log_drop(const connection& conn, std::string_view reason) const noexcept {
  try {
    log::warn(
        "PostgreSQL connection dropped",
        {{"pool", settings_.role}, {"server", conn.target()}, {"reason", std::string{reason}}});
  } catch (...) {
    // Logging must not turn a dropped connection into a failed call.
  }
}

}  // namespace evs::storage::postgres
