#pragma once
// The MariaDB event_store: Connector/C, a pool of writer connections for insert() and a pool
// for everything else, so CRUD calls do not queue behind batches.
#include "storage/event_store.hpp"
#include "storage/mariadb/mariadb_dialect.hpp"
#include "storage/mariadb/mariadb_pool.hpp"
#include "storage/storage_config.hpp"

#include <string_view>

namespace evs::storage::mariadb {

class mariadb_event_store final : public event_store {
 public:
  // Waits up to a few seconds for a server that is starting, then connects and migrates the
  // schema. Throws std::runtime_error with a one-line message, the server's own words
  // included, when that fails (bad password, unknown database, unreachable, newer schema).
  explicit mariadb_event_store(const mariadb_config& config);

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

  // Runs body(connection&) -> result<T> on a pooled connection and maps mariadb_error to errc.
  template <class T, class Body>
  result<T> run(connection_pool& pool, std::string_view operation, retry policy, Body&& body);
  // An outage is logged once per pool, when it starts and when it ends (the pool keeps the
  // state, as for PostgreSQL).
  static void report(connection_pool& pool, std::string_view operation, const mariadb_error& error);
  static void report_success(connection_pool& pool) noexcept;

  connection_pool writers_;
  connection_pool readers_;
  dialect dialect_ = dialect::native;  // the database's, as its schema records it
};

}  // namespace evs::storage::mariadb
