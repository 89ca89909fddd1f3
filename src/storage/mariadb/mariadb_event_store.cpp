#include "storage/mariadb/mariadb_event_store.hpp"

#include "runtime/log.hpp"
#include "storage/mariadb/mariadb_schema.hpp"

#include <errmsg.h>
#include <mysqld_error.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

namespace evs::storage::mariadb {
namespace {

using namespace std::chrono_literals;

// A server that is still starting gets this long before start-up gives up.
constexpr auto startup_wait = 10s;
constexpr int max_attempts = 3;
// Room left in each statement for what the per-row estimate does not count.
constexpr std::size_t statement_slack = 4096;

#define EVS_MARIADB_EPOCH "'1970-01-01 00:00:00'"
#define EVS_MARIADB_COLUMNS                          \
  "id, event_id, event_type, payload, occurred_at, " \
  "TIMESTAMPDIFF(MICROSECOND, " EVS_MARIADB_EPOCH ", received_at)"

// received_at travels as microseconds since the epoch; the session's time zone is UTC.
std::string datetime_of(std::int64_t microseconds) {
  return "TIMESTAMPADD(MICROSECOND, " + std::to_string(microseconds) + ", " EVS_MARIADB_EPOCH ")";
}

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

// The rows of one INSERT statement, which must stay under the server's max_allowed_packet.
class insert_statement {
 public:
  explicit insert_statement(std::size_t budget) : budget_{budget} { start(); }

  // Worst case of a row's text: every byte escaped.
  static std::size_t estimate(const core::new_event& e) {
    return 2 * (e.event_id.size() + e.event_type.size() + e.payload_json.size() +
                (e.occurred_at ? e.occurred_at->size() : 0)) +
           128;
  }
  bool fits(const core::new_event& e) const {
    return rows_ == 0 || sql_.size() + estimate(e) + statement_slack <= budget_;
  }
  void add(const connection& db, std::int64_t id, const core::new_event& e) {
    if (rows_++ != 0) sql_ += ',';
    sql_ += '(';
    sql_ += std::to_string(id);
    sql_ += ',';
    db.append_quoted(sql_, e.event_id);
    sql_ += ',';
    db.append_quoted(sql_, e.event_type);
    sql_ += ',';
    db.append_quoted(sql_, e.payload_json);
    sql_ += ',';
    if (e.occurred_at)
      db.append_quoted(sql_, *e.occurred_at);
    else
      sql_ += "NULL";
    sql_ += ',';
    sql_ += datetime_of(e.received_at_us);
    sql_ += ')';
  }
  bool empty() const noexcept { return rows_ == 0; }
  std::size_t rows() const noexcept { return rows_; }
  // A duplicate event_id leaves the stored row as it is (id = id changes nothing) and
  // RETURNING gives that row's id: not the one drawn for it, which is how it is told apart
  // from a new row. INSERT IGNORE would also turn real errors into warnings.
  std::string finish() {
    std::string sql = std::move(sql_);
    sql += " ON DUPLICATE KEY UPDATE id = id RETURNING id, event_id";
    start();
    return sql;
  }

 private:
  void start() {
    sql_ =
        "INSERT INTO events (id, event_id, event_type, payload, occurred_at, received_at) "
        "VALUES ";
    rows_ = 0;
  }

  std::size_t budget_;
  std::string sql_;
  std::size_t rows_ = 0;
};

// Ids for `count` new rows, ascending: drawn in the order they will be handed out.
std::vector<std::int64_t> draw_ids(connection& db, std::size_t count) {
  auto rows = db.query("SELECT NEXTVAL(events_id_seq) FROM seq_1_to_" + std::to_string(count));
  std::vector<std::int64_t> ids;
  ids.reserve(count);
  while (rows.next()) ids.push_back(rows.int64(0));
  if (ids.size() != count)
    throw mariadb_error("the id sequence gave " + std::to_string(ids.size()) + " ids for " +
                            std::to_string(count) + " events",
                        0, false);
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Statements that must commit together run in one transaction; on any failure it is rolled
// back (a lock wait timeout alone would only undo its statement) or the connection is gone.
template <class Body>
auto in_transaction(connection& db, bool needed, Body&& body) {
  if (!needed) return body();
  db.exec("START TRANSACTION");
  try {
    auto outcome = body();
    db.exec("COMMIT");
    return outcome;
  } catch (...) {
    if (db.open()) {
      try {
        db.exec("ROLLBACK");
      } catch (const mariadb_error&) {
        // The connection is dropped by the failure; the server rolls back on its own.
      }
    }
    throw;
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
    migrate(*db);
  } catch (const std::exception& e) {
    throw std::runtime_error(config.setting + ": cannot create or migrate the schema at " +
                             db->target() + ": " + e.what());
  }
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
      if (outcome || outcome.error() != errc::storage_unavailable) report_success();
      return outcome;
    } catch (const mariadb_error& e) {
      // Safe retries only: a read on a connection that died while idle in the pool, or a
      // transaction the server rolled back entirely (deadlock, lock wait timeout).
      const bool again =
          attempt < max_attempts &&
          ((policy == retry::stale_connection && reused && e.connection_lost() && !e.timed_out()) ||
           (policy == retry::lost_race && e.lost_race()));
      if (again) continue;
      report(operation, e);
      return make_error_code(e.transient() ? errc::storage_unavailable : errc::storage_failure);
    } catch (const std::exception& e) {
      log::error("MariaDB call failed",
                 {{"operation", std::string{operation}}, {"error", e.what()}});
      return make_error_code(errc::storage_failure);
    }
  }
}

void mariadb_event_store::report(std::string_view operation, const mariadb_error& error) {
  if (!error.transient()) {
    log::error("MariaDB call failed", {{"operation", std::string{operation}},
                                       {"code", std::to_string(error.code())},
                                       {"error", error.what()}});
  } else if (!degraded_.exchange(true)) {
    log::warn("MariaDB unavailable; calls fail until it is back",
              {{"operation", std::string{operation}}, {"error", error.what()}});
  }
}

void mariadb_event_store::report_success() noexcept {
  if (degraded_.load(std::memory_order_relaxed) && degraded_.exchange(false))
    log::info("MariaDB available again");
}

result<insert_outcome> mariadb_event_store::insert(std::span<const core::new_event> events) {
  // First occurrence of an event_id wins; later ones in the same call are duplicates.
  std::unordered_map<std::string_view, std::size_t> position_of;
  position_of.reserve(events.size());
  std::vector<std::size_t> unique;
  unique.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i)
    if (position_of.emplace(events[i].event_id, i).second) unique.push_back(i);
  if (unique.empty()) return insert_outcome(events.size());
  // Rows go in sorted by event_id: every writer (of every consumer) then takes the unique
  // index's locks in the same order, so overlapping batches wait rather than deadlock.
  std::vector<std::size_t> by_event_id = unique;
  std::sort(by_event_id.begin(), by_event_id.end(),
            [&](std::size_t a, std::size_t b) { return events[a].event_id < events[b].event_id; });

  return run<insert_outcome>(writers_, "insert", retry::lost_race, [&](connection& db) {
    // Ids are drawn in request order, so they increase along the request as on every store.
    const std::vector<std::int64_t> ids = draw_ids(db, unique.size());
    std::vector<std::int64_t> drawn(events.size(), 0);
    for (std::size_t k = 0; k < unique.size(); ++k) drawn[unique[k]] = ids[k];

    std::vector<std::string> statements;
    insert_statement statement{db.max_statement_bytes()};
    for (const std::size_t p : by_event_id) {
      if (!statement.fits(events[p])) statements.push_back(statement.finish());
      statement.add(db, drawn[p], events[p]);
    }
    statements.push_back(statement.finish());

    return in_transaction(db, statements.size() > 1, [&] {
      insert_outcome fresh(events.size());
      std::size_t answered = 0;
      for (const auto& sql : statements) {
        auto rows = db.query(sql);
        while (rows.next()) {
          const auto found = position_of.find(rows.text(1));
          if (found == position_of.end())
            throw mariadb_error("insert returned an event_id that was not sent", 0, false);
          const std::int64_t id = rows.int64(0);
          if (id == drawn[found->second]) fresh[found->second] = id;
          ++answered;
        }
      }
      // One row back per row sent, or some row met something other than its own event_id.
      if (answered != unique.size())
        throw mariadb_error("insert returned " + std::to_string(answered) + " rows for " +
                                std::to_string(unique.size()) + " events",
                            0, false);
      return result<insert_outcome>{std::move(fresh)};
    });
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
    // MariaDB's UPDATE has no RETURNING: read the row back inside the same transaction.
    return in_transaction(db, true, [&] {
      db.exec(sql);
      return single_event(
          db.query("SELECT " EVS_MARIADB_COLUMNS " FROM events WHERE id = " + std::to_string(id)));
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
      if (!degraded_.exchange(true)) log::warn("MariaDB is read-only; writes are refused");
      return make_error_code(errc::storage_unavailable);
    }
    return {};
  });
}

}  // namespace evs::storage::mariadb
