#include "storage/mariadb/mariadb_schema.hpp"

#include <array>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

namespace evs::storage::mariadb {
namespace {

// migrations[i] takes the schema from version i to i + 1, one statement at a time (DDL commits
// by itself in MariaDB, so each statement must be safe to run again after a crash: IF NOT
// EXISTS). Append; never edit.
//
// event_id is VARBINARY: compared byte for byte, so case-sensitive and without the trailing-space
// padding that every PAD SPACE collation (utf8mb4_bin, ascii_bin) applies to comparisons. The
// payload is LONGTEXT, never JSON, so it comes back exactly as sent. received_at is DATETIME(6),
// microseconds since the epoch in UTC; occurred_at keeps the client's RFC 3339 text as sent.
// Ids come from a sequence, drawn in request order before each insert (mariadb_event_store.cpp).
const std::array<std::vector<const char*>, current_schema_version> migrations = {{
    {R"sql(
    CREATE TABLE IF NOT EXISTS events (
      id          BIGINT NOT NULL PRIMARY KEY,
      event_id    VARBINARY(128) NOT NULL,
      event_type  VARCHAR(255) NOT NULL,
      payload     LONGTEXT NOT NULL,
      occurred_at TEXT NULL,
      received_at DATETIME(6) NOT NULL,
      UNIQUE KEY events_event_id (event_id),
      KEY events_by_type (event_type, id),
      KEY events_by_received_at (received_at, id)
    ) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin
    )sql",
     "CREATE SEQUENCE IF NOT EXISTS events_id_seq START WITH 1 INCREMENT BY 1 CACHE 1000 "
     "ENGINE = InnoDB"},
}};

constexpr const char* lock_name = "'evs_schema_migration'";

int stored_version(connection& db) {
  auto exists = db.query(
      "SELECT COUNT(*) FROM information_schema.tables "
      "WHERE table_schema = DATABASE() AND table_name = 'schema_version'");
  if (!exists.next() || exists.int64(0) == 0) return 0;
  auto current = db.query("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  current.next();
  return static_cast<int>(current.int64(0));
}

void check_not_newer(int version) {
  if (version > current_schema_version)
    throw std::runtime_error("database schema version " + std::to_string(version) +
                             " is newer than this program supports (" +
                             std::to_string(current_schema_version) + ")");
}

}  // namespace

void migrate(connection& db) {
  // The common case, a current schema, needs neither the lock nor a write.
  const int seen = stored_version(db);
  check_not_newer(seen);
  if (seen == current_schema_version) return;

  // A session lock, not a transaction: MariaDB commits each DDL statement by itself.
  auto locked = db.query(std::string{"SELECT GET_LOCK("} + lock_name + ", 60)");
  if (!locked.next() || locked.is_null(0) || locked.int64(0) != 1)
    throw std::runtime_error("another consumer held the schema migration lock for 60 s");
  try {
    db.exec(
        "CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL PRIMARY KEY) "
        "ENGINE = InnoDB");
    const int version = stored_version(db);  // another consumer may have migrated meanwhile
    check_not_newer(version);
    for (int v = version; v < current_schema_version; ++v) {
      for (const char* statement : migrations[static_cast<std::size_t>(v)]) db.exec(statement);
      db.exec("INSERT INTO schema_version (version) VALUES (" + std::to_string(v + 1) + ")");
    }
  } catch (...) {
    if (db.open()) {
      try {
        db.exec(std::string{"DO RELEASE_LOCK("} + lock_name + ")");
      } catch (const mariadb_error&) {
        // The lock ends with the connection anyway.
      }
    }
    throw;
  }
  db.exec(std::string{"DO RELEASE_LOCK("} + lock_name + ")");
}

}  // namespace evs::storage::mariadb
