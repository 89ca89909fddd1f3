#include "storage/mariadb/mariadb_event_store.hpp"

#include "runtime/log.hpp"
#include "storage/mariadb/mariadb_batch_insert.hpp"
#include "storage/mariadb/mariadb_schema.hpp"
#include "storage/mariadb/mariadb_sql.hpp"
#include "storage/mariadb/mariadb_transaction.hpp"

#include <errmsg.h>
#include <mysqld_error.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

namespace evs::storage::mariadb {
namespace {

using namespace std::chrono_literals;

// A server that is still starting gets this long before start-up gives up.
constexpr auto startup_wait = 10s;
constexpr int max_attempts = 3;

core::stored_event read_event(const result_set& rows) {
  core::stored_event e;
  e.id = rows.int64(0);
  e.event_id = rows.text(1);
  e.event_type = rows.text(2);
  e.payload_json = rows.text(3);
  e.occurred_at = rows.optional_text(4);
  e.received_at_us = rows.int64(5);
  return e;
}

result<core::stored_event> single_event(result_set rows) {
  if (!rows.next()) return make_error_code(errc::not_found);
  return read_event(rows);
}

connect_options options_from(const mariadb_config& config) {
  connect_options options;
  options.host = config.host;
  options.port = config.port;
  options.user = config.user;
  options.password = config.password;
  options.database = config.database;
  options.timeout = std::max(1s, std::chrono::ceil<std::chrono::seconds>(config.timeout));
  return options;
}

// Refused or not there yet: a server that is starting. Anything else (a wrong password, an
// unknown database or host) will not change by waiting.
bool may_be_starting(const mariadb_error& e) {
  return e.code() == CR_CONNECTION_ERROR || e.code() == CR_CONN_HOST_ERROR ||
         e.code() == CR_SERVER_LOST || e.code() == ER_SERVER_SHUTDOWN;
}

std::unique_ptr<connection> connect_at_start(const connect_options& options) {
  const auto deadline = std::chrono::steady_clock::now() + startup_wait;
  for (;;) {
    try {
      return std::make_unique<connection>(options);
    } catch (const mariadb_error& e) {
      if (!may_be_starting(e) || std::chrono::steady_clock::now() >= deadline) throw;
    }
    std::this_thread::sleep_for(250ms);
  }
}

}  // namespace

mariadb_event_store::mariadb_event_store(const mariadb_config& config)
    : writers_{options_from(config),
               connection_pool::settings::sized("writer", config.write_connections)},
      readers_{options_from(config),
               connection_pool::settings::sized("reader", config.read_connections)} {
  std::unique_ptr<connection> db;
  try {
    db = connect_at_start(options_from(config));
  } catch (const mariadb_error& e) {
    throw std::runtime_error(config.setting + ": " + e.what());
  }
  try {
    dialect_ = migrate(*db, config.dialect);
  } catch (const std::exception& e) {
    throw std::runtime_error(config.setting + ": cannot create or migrate the schema at " +
                             db->target() + ": " + e.what());
  }
  log::info("MariaDB store ready",
            {{"server", db->server().description}, {"dialect", std::string{name_of(dialect_)}}});
}

template <class T, class Body>
result<T> mariadb_event_store::run(connection_pool& pool, std::string_view operation, retry policy,
                                   Body&& body) {
  for (int attempt = 1;; ++attempt) {
    bool reused = false;
    try {
      auto lease = pool.acquire();
      reused = !lease.fresh();
      result<T> outcome = body(*lease);
      if (outcome || outcome.error() != errc::storage_unavailable) report_success(pool);
      return outcome;
    } catch (const mariadb_error& e) {
      // Safe retries only: a read on a connection that died while idle in the pool, or a
      // transaction the server rolled back entirely (deadlock, lock wait timeout).
      const bool again =
          attempt < max_attempts &&
          ((policy == retry::stale_connection && reused && e.connection_lost() && !e.timed_out()) ||
           (policy == retry::lost_race && e.lost_race()));
      if (again) continue;
      report(pool, operation, e);
      return make_error_code(e.transient() ? errc::storage_unavailable : errc::storage_failure);
    } catch (const std::exception& e) {
      log::error("MariaDB call failed",
                 {{"operation", std::string{operation}}, {"error", e.what()}});
      return make_error_code(errc::storage_failure);
    }
  }
}

void mariadb_event_store::report(connection_pool& pool, std::string_view operation,
                                 const mariadb_error& error) {
  if (!error.transient()) {
    log::error("MariaDB call failed", {{"operation", std::string{operation}},
                                       {"pool", pool.role()},
                                       {"code", std::to_string(error.code())},
                                       {"error", error.what()}});
  } else if (pool.mark_unavailable()) {
    log::warn(
        "MariaDB unavailable; calls fail until it is back",
        {{"operation", std::string{operation}}, {"pool", pool.role()}, {"error", error.what()}});
  }
}

void mariadb_event_store::report_success(connection_pool& pool) noexcept {
  if (pool.mark_available()) log::info("MariaDB available again", {{"pool", pool.role()}});
}

result<insert_outcome> mariadb_event_store::insert(std::span<const core::new_event> events) {
  const batch_plan plan{events};
  if (plan.unique.empty()) return insert_outcome(events.size());
  return run<insert_outcome>(writers_, "insert", retry::lost_race, [&](connection& db) {
    return result<insert_outcome>{insert_batch(db, dialect_, plan)};
  });
}

result<core::stored_event> mariadb_event_store::get(std::int64_t id) {
  const std::string sql =
      "SELECT " EVS_MARIADB_COLUMNS " FROM events WHERE id = " + std::to_string(id);
  return run<core::stored_event>(readers_, "get", retry::stale_connection,
                                 [&](connection& db) { return single_event(db.query(sql)); });
}

result<core::stored_event> mariadb_event_store::get_by_event_id(std::string_view event_id) {
  return run<core::stored_event>(
      readers_, "get_by_event_id", retry::stale_connection, [&](connection& db) {
        return single_event(db.query(
            "SELECT " EVS_MARIADB_COLUMNS " FROM events WHERE event_id = " + db.quote(event_id)));
      });
}

result<core::event_page> mariadb_event_store::list(const core::list_query& query) {
  return run<core::event_page>(readers_, "list", retry::stale_connection, [&](connection& db) {
    // Only the filters that are set take part.
    std::string sql = "SELECT " EVS_MARIADB_COLUMNS " FROM events";
    const char* separator = " WHERE ";
    const auto filter = [&](const char* condition, const std::string& value) {
      sql += separator;
      sql += condition;
      sql += value;
      separator = " AND ";
    };
    if (query.event_type) filter("event_type = ", db.quote(*query.event_type));
    if (query.event_id) filter("event_id = ", db.quote(*query.event_id));
    if (query.since_us) filter("received_at >= ", datetime_of(*query.since_us));
    if (query.until_us) filter("received_at < ", datetime_of(*query.until_us));
    if (query.after_id) filter("id > ", std::to_string(*query.after_id));
    // One row more than asked tells whether there is a next page.
    sql += " ORDER BY id LIMIT " + std::to_string(query.limit + 1);

    auto rows = db.query(sql);
    core::event_page page;
    page.items.reserve(std::min<std::size_t>(query.limit, rows.rows()));
    while (rows.next()) {
      if (page.items.size() == query.limit) {
        page.has_more = true;
        break;
      }
      page.items.push_back(read_event(rows));
    }
    return result<core::event_page>{std::move(page)};
  });
}

result<core::stored_event> mariadb_event_store::update(std::int64_t id,
                                                       const core::event_update& update) {
  return run<core::stored_event>(readers_, "update", retry::never, [&](connection& db) {
    std::string sql = "UPDATE events SET id = id";
    if (update.event_type) sql += ", event_type = " + db.quote(*update.event_type);
    if (update.payload_json) sql += ", payload = " + db.quote(*update.payload_json);
    if (update.occurred_at)
      sql += ", occurred_at = " + (*update.occurred_at ? db.quote(**update.occurred_at) : "NULL");
    sql += " WHERE id = " + std::to_string(id);
    // MariaDB's UPDATE has no RETURNING: read the row back inside the same transaction. The
    // row is locked first: under READ COMMITTED an UPDATE that matched nothing locks nothing,
    // and a row committed in between would be read back as if it had been updated.
    const auto select =
        "SELECT " EVS_MARIADB_COLUMNS " FROM events WHERE id = " + std::to_string(id);
    return in_transaction(db, true, [&]() -> result<core::stored_event> {
      if (auto locked = single_event(db.query(select + " FOR UPDATE")); !locked) return locked;
      db.exec(sql);
      return single_event(db.query(select));
    });
  });
}

result<void> mariadb_event_store::remove(std::int64_t id) {
  return run<void>(readers_, "remove", retry::never, [&](connection& db) -> result<void> {
    db.exec("DELETE FROM events WHERE id = " + std::to_string(id));
    if (db.affected_rows() == 0) return make_error_code(errc::not_found);
    return {};
  });
}

result<void> mariadb_event_store::ping() {
  return run<void>(readers_, "ping", retry::stale_connection, [&](connection& db) -> result<void> {
    // A replica, or a server set read-only, is reachable but cannot take events.
    auto rows = db.query("SELECT @@global.read_only OR @@global.innodb_read_only");
    if (!rows.next() || rows.int64(0) != 0) {
      if (writers_.mark_unavailable()) log::warn("MariaDB is read-only; writes are refused");
      return make_error_code(errc::storage_unavailable);
    }
    return {};
  });
}

}  // namespace evs::storage::mariadb
