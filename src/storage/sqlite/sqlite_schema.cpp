#include "storage/sqlite/sqlite_schema.hpp"

#include <array>
#include <string>

namespace evs::storage::sqlite {
namespace {

// migrations[i] takes the schema from version i to i + 1. Append; never edit.
constexpr std::array<const char*, current_schema_version> migrations = {
    // AUTOINCREMENT: ids of deleted events are never reused, so cursors stay meaningful.
    R"sql(
    CREATE TABLE events (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id    TEXT    NOT NULL UNIQUE,
      event_type  TEXT    NOT NULL,
      payload     TEXT    NOT NULL,
      occurred_at TEXT,
      received_at INTEGER NOT NULL
    );
    CREATE INDEX events_by_type ON events (event_type, id);
    CREATE INDEX events_by_received_at ON events (received_at, id);
    )sql",
};

int read_version(connection& db) {
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  statement query{db.get(), "SELECT max(version) FROM schema_version"};
  if (!query.step() || query.column_is_null(0)) return 0;
  return static_cast<int>(query.column_int64(0));
}

}  // namespace

void migrate(connection& db) {
  db.exec("BEGIN IMMEDIATE");
  try {
    const int version = read_version(db);
    if (version > current_schema_version)
      throw sqlite_error(SQLITE_ERROR, "database schema version " + std::to_string(version) +
                                           " is newer than this program supports (" +
                                           std::to_string(current_schema_version) + ")");
    for (int v = version; v < current_schema_version; ++v) {
      db.exec(migrations[static_cast<std::size_t>(v)]);
      statement record{db.get(), "INSERT INTO schema_version (version) VALUES (?)"};
      record.bind(1, std::int64_t{v + 1});
      record.step();
    }
    db.exec("COMMIT");
  } catch (...) {
    db.exec("ROLLBACK");
    throw;
  }
}

}  // namespace evs::storage::sqlite
