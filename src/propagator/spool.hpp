#pragma once
// The durable spool: every generated event is committed here (WAL, synchronous=FULL) before
// its first send and leaves only after a 2xx, or for the dead_letters table after a 4xx
// verdict. One running propagator owns a spool file at a time (an exclusive file lock).
#include "sqlite/connection.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace evs::propagator {

struct spooled_event {
  std::int64_t seq = 0;  // assigned by the spool; increasing, so oldest first
  std::string event_id;
  std::string event_type;
  std::string payload_json;
  std::string occurred_at;
  std::int64_t created_at_us = 0;
};

struct dead_letter {
  spooled_event event;
  std::int64_t failed_at_us = 0;
  long http_status = 0;
  std::string response_body;
  std::string reason;
};

// Another process holds the spool.
class spool_busy : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class spool {
 public:
  enum class mode { owner, reader };

  // Creates the file and its folders when missing. `owner` takes the exclusive lock on
  // `path + ".lock"` (spool_busy when another propagator has it); `reader` only reads.
  spool(const std::string& path, std::size_t max_events, mode m = mode::owner);
  ~spool();
  spool(const spool&) = delete;
  spool& operator=(const spool&) = delete;

  // Stores as many of `events` as fit under the bound, in one synced transaction, and
  // returns how many; their `seq` is filled in.
  std::size_t append(std::span<spooled_event> events);

  std::vector<spooled_event> oldest(std::size_t max_events);
  void remove(std::span<const spooled_event> events);
  void move_to_dead_letters(std::span<const spooled_event> events, long http_status,
                            std::string_view response_body, std::string_view reason,
                            std::int64_t now_us);

  std::vector<dead_letter> dead_letters();
  // Back into the spool with the same event_id, behind what is already pending.
  std::size_t requeue_dead_letters();

  std::size_t pending() const noexcept { return pending_; }
  std::size_t dead_letter_count() const noexcept { return dead_; }
  std::size_t capacity() const noexcept { return max_events_; }
  bool full() const noexcept { return pending_ >= max_events_; }

  // What `PRAGMA name` reports on the spool's own connection: synchronous is per connection,
  // so no other connection can show that commits here are synced.
  std::string pragma(std::string_view name) { return db_.pragma(name); }

 private:
  // The owner's exclusive flock on `<path>.lock`, a file of its own: the database file is
  // opened only by SQLite, whose POSIX locks any close() of another descriptor of that file
  // would silently drop.
  class owner_lock {
   public:
    owner_lock() = default;
    explicit owner_lock(const std::string& spool_path);
    ~owner_lock();
    owner_lock(const owner_lock&) = delete;
    owner_lock& operator=(const owner_lock&) = delete;

   private:
    int fd_ = -1;
  };

  std::size_t count(const char* sql);

  // Declared before db_, so it is released only after the connection is closed.
  owner_lock lock_;
  sqlite::connection db_;
  std::size_t max_events_;
  std::size_t pending_ = 0;
  std::size_t dead_ = 0;
};

}  // namespace evs::propagator
