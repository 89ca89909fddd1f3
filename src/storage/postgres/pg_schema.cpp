#include "storage/postgres/pg_schema.hpp"

#include <array>
#include <stdexcept>
#include <string>

namespace evs::storage::postgres {
namespace {

// migrations[i] takes the schema from version i to i + 1. Append; never edit. Same shape as
// the SQLite schema; the payload is text, not jsonb, so it comes back byte-for-byte.
constexpr std::array<const char*, current_schema_version> migrations = {
    // An identity never reuses ids of deleted events, so cursors stay meaningful. Its
    // sequence, events_id_seq, is named in the insert statement of pg_event_store.cpp.
    R"sql(
    CREATE TABLE events (
      id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_id    text   NOT NULL UNIQUE,
      event_type  text   NOT NULL,
      payload     text   NOT NULL,
      occurred_at text,
      received_at bigint NOT NULL
    );
    CREATE INDEX events_by_type ON events (event_type, id);
    CREATE INDEX events_by_received_at ON events (received_at, id);
    )sql",
};

// pg_advisory_xact_lock(int, int) key: "evs" and what it guards.
constexpr const char* lock_sql = "SELECT pg_advisory_xact_lock(6649459, 1)";

int stored_version(connection& db) {
  const query_result exists = db.exec("SELECT to_regclass('schema_version') IS NOT NULL");
  if (exists.text(0, 0) != "t") return 0;
  const query_result current = db.exec("SELECT coalesce(max(version), 0) FROM schema_version");
  return static_cast<int>(current.int64(0, 0));
}

void check_not_newer(int version) {
  if (version > current_schema_version)
    throw std::runtime_error("database schema version " + std::to_string(version) +
                             " is newer than this program supports (" +
                             std::to_string(current_schema_version) + ")");
}

}  // namespace

void migrate(connection& db) {
  // The common case, a current schema, needs neither the lock nor a write (a read-only
  // server is then reported by ping(), not refused at start-up).
  const int seen = stored_version(db);
  check_not_newer(seen);
  if (seen == current_schema_version) return;

  db.exec("BEGIN");
  try {
    db.exec(lock_sql);
    db.exec("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)");
    const int version = stored_version(db);  // another consumer may have migrated meanwhile
    check_not_newer(version);
    for (int v = version; v < current_schema_version; ++v) {
      db.exec(migrations[static_cast<std::size_t>(v)]);
      param_list params;
      params.add(std::int64_t{v + 1});
      db.exec_prepared("evs_schema_version", "INSERT INTO schema_version (version) VALUES ($1)",
                       params);
    }
    db.exec("COMMIT");
  } catch (...) {
    if (PQstatus(db.get()) == CONNECTION_OK) PQclear(PQexec(db.get(), "ROLLBACK"));
    throw;
  }
}

}  // namespace evs::storage::postgres
