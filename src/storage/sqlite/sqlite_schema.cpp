#include "storage/sqlite/sqlite_schema.hpp"

#include "sqlite/migrations.hpp"

#include <array>

namespace evs::storage::sqlite {
namespace {

// Append; never edit a released step.
constexpr std::array<evs::sqlite::migration, current_schema_version> migrations = {{
    // AUTOINCREMENT: ids of deleted events are never reused, so cursors stay meaningful.
    {1, R"sql(
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
    )sql"},
}};

}  // namespace

void migrate(evs::sqlite::connection& db) { evs::sqlite::migrate(db, migrations); }

}  // namespace evs::storage::sqlite
