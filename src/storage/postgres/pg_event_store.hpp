#pragma once
// The PostgreSQL event_store: libpq, bound parameters, a pool of writer connections for
// insert() and a pool for everything else, so CRUD calls do not queue behind batches. With a
// read URL (a standby), listing and looking up events use a third pool there; an event the
// standby does not show yet is looked up on the primary, and a standby that is down hands
// its reads to the primary.
#include "storage/event_store.hpp"
#include "storage/postgres/pg_pool.hpp"
#include "storage/storage_config.hpp"

#include <atomic>
#include <memory>
#include <string_view>

namespace evs::storage::postgres {

class pg_event_store final : public event_store {
 public:
  // Waits up to a few seconds for a server that is starting, then connects and migrates
  // the schema. Throws std::runtime_error with a one-line message when that fails (bad
  // password, unknown database, server unreachable, newer schema).
  explicit pg_event_store(const postgres_config& config);

  result<insert_outcome> insert(std::span<const core::new_event> events) override;
  result<core::stored_event> get(std::int64_t id) override;
  result<core::stored_event> get_by_event_id(std::string_view event_id) override;
  result<core::event_page> list(const core::list_query& query) override;
  result<core::stored_event> update(std::int64_t id, const core::event_update& update) override;
  result<void> remove(std::int64_t id) override;
  result<void> ping() override;
  std::size_t max_concurrent_writers() const override { return writers_.size(); }

 private:
  enum class retry { never, stale_connection, lost_race };

  // Runs body(connection&) -> result<T> on a pooled connection and maps pg_error to errc.
  template <class T, class Body>
  result<T> run(connection_pool& pool, std::string_view operation, retry policy, Body&& body);
  void report(connection_pool& pool, std::string_view operation, const pg_error& error);
  void report_success(connection_pool& pool) noexcept;
  // After a write timed out: logs, once per outage, when commits wait for a synchronous
  // standby, the one cause of a stall that the server can name.
  void explain_write_timeout() noexcept;
  // Reads that may lag: on the standby when there is one, else with the other CRUD calls.
  template <class T, class Body>
  result<T> run_read(std::string_view operation, Body&& body);
  // One event by a key: from the standby, or from the primary when the standby lacks it.
  template <class Body>
  result<core::stored_event> look_up(std::string_view operation, Body&& body);

  connection_pool writers_;
  connection_pool readers_;                           // the primary: CRUD, ping
  std::unique_ptr<connection_pool> standby_readers_;  // DB_READ_URL
  std::atomic<bool> stall_explained_{false};
};

}  // namespace evs::storage::postgres
