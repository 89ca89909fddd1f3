#include "storage/sqlite/sqlite_schema.hpp"

#include "sqlite/error.hpp"
#include "sqlite/migrations.hpp"
#include "storage/sqlite/sqlite_event_store.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace evs::storage::sqlite {
namespace {

using evs::sqlite::connection;
using evs::sqlite::open_mode;

// A database as the first release of the store wrote it: its schema SQL, its version record,
// one event. The SQL is a copy on purpose: it must keep describing files already on disks
// when the migration steps move on.
void write_first_release_database(const std::string& path) {
  connection db{path, open_mode::read_write_create};
  db.exec(R"sql(
    PRAGMA journal_mode=WAL;
    CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
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
    INSERT INTO schema_version (version) VALUES (1);
    INSERT INTO events (event_id, event_type, payload, occurred_at, received_at)
      VALUES ('old-1', 'message', '"kept"', '2024-05-01T12:30:00Z', 1700000000000000);
  )sql");
}

core::new_event new_event(const std::string& event_id) {
  core::new_event e;
  e.event_id = event_id;
  e.event_type = "message";
  e.payload_json = R"({"n":1})";
  e.received_at_us = 1'700'000'000'000'001;
  return e;
}

TEST(SqliteSchema, AFreshDatabaseIsAtTheCurrentVersion) {
  const test::temp_dir dir;
  const auto path = (dir / "events.db").string();
  { sqlite_event_store store{sqlite_config{path, 1}}; }
  connection db{path, open_mode::read_only};
  EXPECT_EQ(evs::sqlite::schema_version(db), current_schema_version);
}

TEST(SqliteSchema, ADatabaseOfTheFirstReleaseOpensWithItsEvents) {
  const test::temp_dir dir;
  const auto path = (dir / "events.db").string();
  write_first_release_database(path);
  {
    sqlite_event_store store{sqlite_config{path, 1}};
    const auto old = store.get_by_event_id("old-1");
    ASSERT_TRUE(old) << old.error().message();
    EXPECT_EQ(old->id, 1);
    EXPECT_EQ(old->payload_json, "\"kept\"");
    const std::vector<core::new_event> events = {new_event("new-1"), new_event("old-1")};
    const auto outcome = store.insert(events);
    ASSERT_TRUE(outcome) << outcome.error().message();
    EXPECT_EQ(*outcome, (insert_outcome{2, std::nullopt}));
    EXPECT_TRUE(store.ping());
  }
  connection db{path, open_mode::read_only};
  EXPECT_EQ(evs::sqlite::schema_version(db), current_schema_version);
}

TEST(SqliteSchema, ADatabaseOfANewerReleaseIsRefused) {
  const test::temp_dir dir;
  const auto path = (dir / "events.db").string();
  write_first_release_database(path);
  {
    connection db{path, open_mode::read_write};
    db.exec("INSERT INTO schema_version (version) VALUES (99)");
  }
  EXPECT_THROW((sqlite_event_store{sqlite_config{path, 1}}), evs::sqlite::error);
}

}  // namespace
}  // namespace evs::storage::sqlite
