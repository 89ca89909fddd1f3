#include "storage/mariadb/mariadb_schema.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace evs::storage::mariadb {
namespace {

// The statements that take the schema from version `from` to from + 1 in dialect `d` on this
// server, run one at a time (DDL commits by itself, so each must be safe to run again after a
// crash: IF NOT EXISTS). Add versions; never edit one.
//
// event_id is VARBINARY: compared byte for byte, so case-sensitive and without the trailing-space
// padding that every PAD SPACE collation (utf8mb4_bin, ascii_bin) applies to comparisons; the
// other text columns get the server's NO PAD binary collation for the same reason. The payload
// is LONGTEXT, never JSON, so it comes back exactly as sent. received_at is DATETIME(6),
// microseconds since the epoch in UTC; occurred_at keeps the client's RFC 3339 text as sent.
// Ids are drawn before each insert (mariadb_batch_insert.cpp): from a sequence in the native
// dialect, from a one-row counter in the portable one.
std::vector<std::string> migration(int from, dialect d, const server_flavour& server) {
  std::vector<std::string> statements;
  if (from == 0) {
    statements.push_back(R"sql(
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
    ) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE )sql" +
                         std::string{binary_collation(server)});
    if (d == dialect::native) {
      statements.emplace_back(
          "CREATE SEQUENCE IF NOT EXISTS events_id_seq START WITH 1 INCREMENT BY 1 CACHE 1000 "
          "ENGINE = InnoDB");
    } else {
      // last_id is the highest id handed out; `only_row` keeps the table at one row.
      statements.emplace_back(
          "CREATE TABLE IF NOT EXISTS events_id_counter ("
          " only_row TINYINT NOT NULL PRIMARY KEY, last_id BIGINT NOT NULL"
          ") ENGINE = InnoDB");
      statements.emplace_back(
          "INSERT INTO events_id_counter (only_row, last_id) VALUES (1, 0)"
          " ON DUPLICATE KEY UPDATE only_row = only_row");
    }
  }
  return statements;
}

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

// The dialect the database was created in, told by the id source it holds (MariaDB lists a
// sequence among the tables); none before the first migration got that far.
std::optional<dialect> recorded_dialect(connection& db) {
  auto found = db.query(
      "SELECT SUM(table_name = 'events_id_seq'), SUM(table_name = 'events_id_counter') "
      "FROM information_schema.tables WHERE table_schema = DATABASE() "
      "AND table_name IN ('events_id_seq', 'events_id_counter')");
  const bool sequence = found.next() && !found.is_null(0) && found.int64(0) > 0;
  const bool counter = !found.is_null(1) && found.int64(1) > 0;
  if (sequence && counter)
    throw std::runtime_error(
        "the database holds both events_id_seq and events_id_counter: it must have one id "
        "source only (drop the one its ids did not come from)");
  if (sequence) return dialect::native;
  if (counter) return dialect::portable;
  return std::nullopt;
}

void check_not_newer(int version) {
  if (version > current_schema_version)
    throw std::runtime_error("database schema version " + std::to_string(version) +
                             " is newer than this program supports (" +
                             std::to_string(current_schema_version) + ")");
}

// The dialect of a migrated database; a schema without an id source is damaged.
dialect existing_dialect(connection& db) {
  const auto recorded = recorded_dialect(db);
  if (!recorded)
    throw std::runtime_error(
        "the database has a schema but neither events_id_seq nor events_id_counter");
  check_usable(*recorded, db.server());
  return *recorded;
}

}  // namespace

dialect migrate(connection& db, mariadb_dialect asked) {
  // The common case, a current schema, needs neither the lock nor a write.
  const int seen = stored_version(db);
  check_not_newer(seen);
  if (seen == current_schema_version) return existing_dialect(db);

  // A session lock, not a transaction: MariaDB commits each DDL statement by itself.
  auto locked = db.query(std::string{"SELECT GET_LOCK("} + lock_name + ", 60)");
  if (!locked.next() || locked.is_null(0) || locked.int64(0) != 1)
    throw std::runtime_error("another consumer held the schema migration lock for 60 s");
  dialect chosen = dialect::native;
  try {
    db.exec(
        "CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL PRIMARY KEY) "
        "ENGINE = InnoDB");
    const int version = stored_version(db);  // another consumer may have migrated meanwhile
    check_not_newer(version);
    if (version == current_schema_version) {
      chosen = existing_dialect(db);
    } else {
      // A first migration cut short may have created its id source already: keep its dialect.
      const auto recorded = recorded_dialect(db);
      chosen = recorded ? *recorded : dialect_for_new_database(asked, db.server());
      check_usable(chosen, db.server());
      for (int v = version; v < current_schema_version; ++v) {
        for (const auto& statement : migration(v, chosen, db.server())) db.exec(statement);
        db.exec("INSERT INTO schema_version (version) VALUES (" + std::to_string(v + 1) + ")");
      }
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
  return chosen;
}

}  // namespace evs::storage::mariadb
