#include "storage/postgres/pg_event_store.hpp"

#include "runtime/log.hpp"
#include "storage/postgres/pg_diagnosis.hpp"
#include "storage/postgres/pg_schema.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

namespace evs::storage::postgres {
namespace {

using namespace std::chrono_literals;

// A server that is still starting gets this long before start-up gives up.
constexpr auto startup_wait = 10s;
constexpr int max_attempts = 3;

#define EVS_PG_COLUMNS "id, event_id, event_type, payload, occurred_at, received_at"

// One statement, so one round trip and one implicit transaction: all rows or none, and the
// reply comes only after COMMIT. unnest keeps the statement text and its plan the same for
// every batch size. Ids are drawn in request order, but rows go in sorted by event_id: every
// writer (of every consumer) then waits for the others' unique-index entries in the same
// order, so overlapping batches cannot deadlock. ON CONFLICT DO NOTHING waits for a
// concurrent insert of the same event_id and skips the row once that one commits.
constexpr const char* insert_sql =
    "WITH batch AS ("
    " SELECT e.*, nextval('events_id_seq') AS id"
    " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])"
    " WITH ORDINALITY AS e(event_id, event_type, payload, occurred_at, received_at, ord)"
    " ORDER BY e.ord) "
    "INSERT INTO events (id, event_id, event_type, payload, occurred_at, received_at) "
    "OVERRIDING SYSTEM VALUE "
    "SELECT id, event_id, event_type, payload, occurred_at, received_at FROM batch "
    "ORDER BY event_id "
    "ON CONFLICT (event_id) DO NOTHING "
    "RETURNING id, event_id";

constexpr const char* get_sql = "SELECT " EVS_PG_COLUMNS " FROM events WHERE id = $1";
constexpr const char* get_by_event_id_sql =
    "SELECT " EVS_PG_COLUMNS " FROM events WHERE event_id = $1";
constexpr const char* update_sql =
    "UPDATE events SET event_type = coalesce($2::text, event_type), "
    "payload = coalesce($3::text, payload), "
    "occurred_at = CASE WHEN $4::boolean THEN $5::text ELSE occurred_at END "
    "WHERE id = $1 RETURNING " EVS_PG_COLUMNS;
constexpr const char* remove_sql = "DELETE FROM events WHERE id = $1";
// A standby, or a server forced read-only, is reachable but cannot take events.
constexpr const char* read_only_sqlstate = "25006";  // read_only_sql_transaction
constexpr const char* writable_sql =
    "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'";

// PostgreSQL text cannot hold NUL, and libpq text parameters end at the first one.
bool has_nul(std::string_view text) { return text.find('\0') != std::string_view::npos; }

bool has_nul(const core::new_event& e) {
  return has_nul(e.event_id) || has_nul(e.event_type) || has_nul(e.payload_json) ||
         (e.occurred_at && has_nul(*e.occurred_at));
}

// An element of a text[] literal: quoted, with " and \ escaped.
void append_element(std::string& out, std::string_view text) {
  out += '"';
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"' || text[i] == '\\') {
      out.append(text, start, i - start);
      out += '\\';
      start = i;
    }
  }
  out.append(text, start);
  out += '"';
}

// The five array parameters of insert_sql for the events at `positions`.
struct batch_arrays {
  std::string event_ids = "{";
  std::string event_types = "{";
  std::string payloads = "{";
  std::string occurred_at = "{";
  std::string received_at = "{";

  batch_arrays(std::span<const core::new_event> events, const std::vector<std::size_t>& positions) {
    std::size_t payload_bytes = 0;
    for (const auto p : positions) payload_bytes += events[p].payload_json.size() + 8;
    payloads.reserve(payload_bytes + 2);
    event_ids.reserve(positions.size() * 40);
    for (const auto p : positions) {
      const auto& e = events[p];
      const char* sep = event_ids.size() > 1 ? "," : "";
      event_ids += sep;
      append_element(event_ids, e.event_id);
      event_types += sep;
      append_element(event_types, e.event_type);
      payloads += sep;
      append_element(payloads, e.payload_json);
      occurred_at += sep;
      if (e.occurred_at)
        append_element(occurred_at, *e.occurred_at);
      else
        occurred_at += "NULL";
      received_at += sep;
      received_at += std::to_string(e.received_at_us);
    }
    for (auto* array : {&event_ids, &event_types, &payloads, &occurred_at, &received_at})
      *array += '}';
  }
};

core::stored_event read_event(const query_result& rows, int row) {
  core::stored_event e;
  e.id = rows.int64(row, 0);
  e.event_id = rows.text(row, 1);
  e.event_type = rows.text(row, 2);
  e.payload_json = rows.text(row, 3);
  e.occurred_at = rows.optional_text(row, 4);
  e.received_at_us = rows.int64(row, 5);
  return e;
}

result<core::stored_event> single_event(const query_result& rows) {
  if (rows.rows() == 0) return make_error_code(errc::not_found);
  return read_event(rows, 0);
}

connect_options options_from(const postgres_config& config) {
  connect_options options;
  options.params = config.params;
  options.expand_dbname = config.expand_dbname;
  options.statement_timeout = config.timeout;
  // libpq's connect_timeout is whole seconds, at least 2.
  options.connect_timeout =
      std::max(std::chrono::seconds{2}, std::chrono::ceil<std::chrono::seconds>(config.timeout));
  return options;
}

connect_options read_options_from(const postgres_config& config) {
  connect_options options = options_from(config);
  options.params = {{"dbname", config.read_url}};
  options.expand_dbname = true;
  return options;
}

void wait_until_server_answers(const connect_options& options) {
  const auto deadline = std::chrono::steady_clock::now() + startup_wait;
  for (;;) {
    const PGPing answer = ping_server(options);
    if (answer == PQPING_OK || answer == PQPING_NO_ATTEMPT) return;
    if (std::chrono::steady_clock::now() >= deadline) return;
    std::this_thread::sleep_for(250ms);
  }
}

}  // namespace

pg_event_store::pg_event_store(const postgres_config& config)
    : writers_{options_from(config),
               connection_pool::settings::sized("writer", config.write_connections)},
      readers_{options_from(config),
               connection_pool::settings::sized("reader", config.read_connections)} {
  const connect_options options = options_from(config);
  wait_until_server_answers(options);
  std::unique_ptr<connection> db;
  try {
    db = std::make_unique<connection>(options);
  } catch (const pg_error& e) {
    throw std::runtime_error(config.setting + ": " + e.what());
  }
  try {
    migrate(*db);
  } catch (const std::exception& e) {
    throw std::runtime_error(config.setting + ": cannot create or migrate the schema at " +
                             describe_target(db->get()) + ": " + e.what());
  }
  if (!config.read_url.empty()) {
    // Checked once at start, as the primary is: a wrong password or database is a
    // configuration error, not a stream of failed reads.
    const connect_options read_options = read_options_from(config);
    try {
      connection check{read_options};
    } catch (const pg_error& e) {
      throw std::runtime_error(std::string{"DB_READ_URL: "} + e.what());
    }
    standby_readers_ = std::make_unique<connection_pool>(
        read_options, connection_pool::settings::sized("standby reader", config.read_connections));
  }
}

template <class T, class Body>
result<T> pg_event_store::run(connection_pool& pool, std::string_view operation, retry policy,
                              Body&& body) {
  for (int attempt = 1;; ++attempt) {
    bool reused = false;
    try {
      auto lease = pool.acquire();
      reused = !lease.fresh();
      try {
        result<T> outcome = body(*lease);
        if (outcome || outcome.error() != errc::storage_unavailable) report_success(pool);
        return outcome;
      } catch (const pg_error& e) {
        // A read-only server is a standby (or a primary demoted after a failover): a fresh
        // connection looks for the primary again.
        if (e.connection_lost() || e.sqlstate() == read_only_sqlstate) lease.discard(e.what());
        throw;
      }
    } catch (const pg_error& e) {
      // Safe retries only: a read on a connection that died while idle in the pool, or a
      // statement the server rolled back entirely (deadlock, serialization failure).
      const bool lost_race = e.sqlstate() == "40P01" || e.sqlstate() == "40001";
      const bool again =
          attempt < max_attempts &&
          ((policy == retry::stale_connection && reused && e.connection_lost() && !e.timed_out()) ||
           (policy == retry::lost_race && lost_race));
      if (again) continue;
      report(pool, operation, e);
      return make_error_code(e.transient() ? errc::storage_unavailable : errc::storage_failure);
    } catch (const std::exception& e) {
      log::error("PostgreSQL call failed",
                 {{"operation", std::string{operation}}, {"error", e.what()}});
      return make_error_code(errc::storage_failure);
    }
  }
}

void pg_event_store::report(connection_pool& pool, std::string_view operation,
                            const pg_error& error) {
  if (!error.transient()) {
    log::error("PostgreSQL call failed", {{"operation", std::string{operation}},
                                          {"pool", pool.role()},
                                          {"sqlstate", error.sqlstate()},
                                          {"error", error.what()}});
  } else if (pool.mark_unavailable()) {
    log::warn(
        "PostgreSQL unavailable; calls fail until it is back",
        {{"operation", std::string{operation}}, {"pool", pool.role()}, {"error", error.what()}});
  }
  if (error.timed_out() && &pool == &writers_) explain_write_timeout();
}

void pg_event_store::report_success(connection_pool& pool) noexcept {
  if (pool.mark_available()) log::info("PostgreSQL available again", {{"pool", pool.role()}});
  if (&pool == &writers_) stall_explained_.store(false, std::memory_order_relaxed);
}

void pg_event_store::explain_write_timeout() noexcept {
  if (stall_explained_.load(std::memory_order_relaxed)) return;
  try {
    auto lease = readers_.acquire();
    const auto stall = find_synchronous_commit_stall(*lease);
    if (!stall || stall_explained_.exchange(true)) return;
    log::warn(
        "PostgreSQL commits wait for a synchronous standby that does not confirm; writes "
        "are refused until one does, or until synchronous_standby_names is cleared on the "
        "primary (a promoted standby keeps the setting it was copied with)",
        {{"server", lease->target()},
         {"synchronous_standby_names", stall->standby_names},
         {"waiting_commits", std::to_string(stall->waiting)}});
  } catch (const std::exception&) {
    // The server cannot say either; the timeout itself is logged already.
  }
}

template <class T, class Body>
result<T> pg_event_store::run_read(std::string_view operation, Body&& body) {
  if (!standby_readers_) return run<T>(readers_, operation, retry::stale_connection, body);
  auto outcome = run<T>(*standby_readers_, operation, retry::stale_connection, body);
  if (!outcome && outcome.error() == errc::storage_unavailable)
    return run<T>(readers_, operation, retry::stale_connection, body);
  return outcome;
}

template <class Body>
result<core::stored_event> pg_event_store::look_up(std::string_view operation, Body&& body) {
  auto found = run_read<core::stored_event>(operation, body);
  // Read your writes: an event just stored may not have reached the standby yet.
  if (standby_readers_ && !found && found.error() == errc::not_found)
    found = run<core::stored_event>(readers_, operation, retry::stale_connection, body);
  return found;
}

result<insert_outcome> pg_event_store::insert(std::span<const core::new_event> events) {
  insert_outcome outcome(events.size());
  // First occurrence of an event_id wins; later ones in the same call are duplicates.
  std::unordered_map<std::string_view, std::size_t> position_of;
  position_of.reserve(events.size());
  std::vector<std::size_t> unique;
  unique.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (has_nul(events[i])) {
      log::error("PostgreSQL cannot store text containing NUL", {{"event_id", events[i].event_id}});
      return make_error_code(errc::storage_failure);
    }
    if (position_of.emplace(events[i].event_id, i).second) unique.push_back(i);
  }
  if (unique.empty()) return outcome;

  const batch_arrays arrays{events, unique};
  param_list params;
  params.add(arrays.event_ids);
  params.add(arrays.event_types);
  params.add(arrays.payloads);
  params.add(arrays.occurred_at);
  params.add(arrays.received_at);

  return run<insert_outcome>(writers_, "insert", retry::lost_race, [&](connection& db) {
    const query_result rows = db.exec_prepared("evs_insert", insert_sql, params);
    insert_outcome fresh(events.size());
    for (int r = 0; r < rows.rows(); ++r) {
      const auto found = position_of.find(rows.text(r, 1));
      if (found == position_of.end())
        throw pg_error("insert returned an event_id that was not sent", "", false);
      fresh[found->second] = rows.int64(r, 0);
    }
    return result<insert_outcome>{std::move(fresh)};
  });
}

result<core::stored_event> pg_event_store::get(std::int64_t id) {
  param_list params;
  params.add(id);
  return look_up("get", [&](connection& db) {
    return single_event(db.exec_prepared("evs_get", get_sql, params));
  });
}

result<core::stored_event> pg_event_store::get_by_event_id(std::string_view event_id) {
  if (has_nul(event_id)) return make_error_code(errc::not_found);
  const std::string key{event_id};
  param_list params;
  params.add(key);
  return look_up("get_by_event_id", [&](connection& db) {
    return single_event(db.exec_prepared("evs_get_by_event_id", get_by_event_id_sql, params));
  });
}

result<core::event_page> pg_event_store::list(const core::list_query& query) {
  if ((query.event_type && has_nul(*query.event_type)) ||
      (query.event_id && has_nul(*query.event_id)))
    return core::event_page{};  // nothing stored can match

  // Only the filters that are set take part; each combination is its own prepared statement.
  std::string sql = "SELECT " EVS_PG_COLUMNS " FROM events";
  std::string name = "evs_list_";
  param_list params;
  const char* separator = " WHERE ";
  const auto filter = [&](const char* condition, char tag) {
    sql += separator;
    sql += condition;
    sql += '$';
    sql += std::to_string(params.size());
    name += tag;
    separator = " AND ";
  };
  if (query.event_type) {
    params.add(*query.event_type);
    filter("event_type = ", 't');
  }
  if (query.event_id) {
    params.add(*query.event_id);
    filter("event_id = ", 'e');
  }
  if (query.since_us) {
    params.add(*query.since_us);
    filter("received_at >= ", 's');
  }
  if (query.until_us) {
    params.add(*query.until_us);
    filter("received_at < ", 'u');
  }
  if (query.after_id) {
    params.add(*query.after_id);
    filter("id > ", 'a');
  }
  // One row more than asked tells whether there is a next page.
  const auto limit = static_cast<std::int64_t>(query.limit);
  params.add(limit + 1);
  sql += " ORDER BY id LIMIT $" + std::to_string(params.size());

  return run_read<core::event_page>("list", [&](connection& db) {
    const query_result rows = db.exec_prepared(name, sql.c_str(), params);
    core::event_page page;
    const int count = rows.rows();
    page.has_more = count > limit;
    const int take = page.has_more ? static_cast<int>(limit) : count;
    page.items.reserve(static_cast<std::size_t>(take));
    for (int r = 0; r < take; ++r) page.items.push_back(read_event(rows, r));
    return result<core::event_page>{std::move(page)};
  });
}

result<core::stored_event> pg_event_store::update(std::int64_t id,
                                                  const core::event_update& update) {
  if ((update.event_type && has_nul(*update.event_type)) ||
      (update.payload_json && has_nul(*update.payload_json)) ||
      (update.occurred_at && *update.occurred_at && has_nul(**update.occurred_at))) {
    log::error("PostgreSQL cannot store text containing NUL", {{"id", std::to_string(id)}});
    return make_error_code(errc::storage_failure);
  }
  param_list params;
  params.add(id);
  params.add(update.event_type);
  params.add(update.payload_json);
  params.add(update.occurred_at.has_value());
  if (update.occurred_at)
    params.add(*update.occurred_at);
  else
    params.add_null();
  return run<core::stored_event>(readers_, "update", retry::never, [&](connection& db) {
    return single_event(db.exec_prepared("evs_update", update_sql, params));
  });
}

result<void> pg_event_store::remove(std::int64_t id) {
  param_list params;
  params.add(id);
  return run<void>(readers_, "remove", retry::never, [&](connection& db) -> result<void> {
    if (db.exec_prepared("evs_remove", remove_sql, params).affected_rows() == 0)
      return make_error_code(errc::not_found);
    return {};
  });
}

result<void> pg_event_store::ping() {
  return run<void>(readers_, "ping", retry::stale_connection, [&](connection& db) -> result<void> {
    const query_result rows = db.exec_prepared("evs_writable", writable_sql, param_list{});
    if (rows.text(0, 0) != "t")
      throw pg_error("PostgreSQL at " + db.target() +
                         " is read-only (a standby, or transaction_read_only); writes are refused",
                     read_only_sqlstate, false);
    return {};
  });
}

}  // namespace evs::storage::postgres
