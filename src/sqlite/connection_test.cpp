#include "sqlite/connection.hpp"

#include "sqlite/error.hpp"
#include "sqlite/statement.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

namespace evs::sqlite {
namespace {

std::int64_t count_rows(connection& db, const char* table) {
  statement count{db, std::string{"SELECT count(*) FROM "} + table};
  count.step();
  return count.column_int64(0);
}

TEST(Connection, OpeningAMissingFileReadOnlyFailsWithCantOpen) {
  const test::temp_dir dir;
  const auto path = (dir / "missing.db").string();
  try {
    connection db{path, open_mode::read_only};
    FAIL() << "opened a file that does not exist";
  } catch (const error& e) {
    EXPECT_EQ(e.code(), SQLITE_CANTOPEN);
    EXPECT_NE(std::string{e.what()}.find(path), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(Connection, ReadWriteDoesNotCreateTheFile) {
  const test::temp_dir dir;
  const auto path = (dir / "missing.db").string();
  EXPECT_THROW((connection{path, open_mode::read_write}), error);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(Connection, KeepsWhatWasWrittenAcrossReopening) {
  const test::temp_dir dir;
  const auto path = (dir / "data.db").string();
  {
    connection db{path, open_mode::read_write_create};
    db.exec("CREATE TABLE t (v TEXT NOT NULL); INSERT INTO t VALUES ('a'), ('b');");
  }
  ASSERT_TRUE(std::filesystem::exists(path));
  {
    connection db{path, open_mode::read_write};
    db.exec("INSERT INTO t VALUES ('c')");
  }
  connection db{path, open_mode::read_only};
  EXPECT_EQ(count_rows(db, "t"), 3);
}

TEST(Connection, ReadOnlyConnectionRefusesWrites) {
  const test::temp_dir dir;
  const auto path = (dir / "data.db").string();
  connection writer{path, open_mode::read_write_create};
  writer.exec("CREATE TABLE t (v INTEGER)");
  connection reader{path, open_mode::read_only};
  try {
    reader.exec("INSERT INTO t VALUES (1)");
    FAIL() << "a read-only connection wrote";
  } catch (const error& e) {
    EXPECT_EQ(e.code(), SQLITE_READONLY);
  }
  EXPECT_EQ(count_rows(writer, "t"), 0);
}

TEST(Connection, ExecReportsTheErrorCodeAndMessage) {
  const test::temp_dir dir;
  connection db{(dir / "data.db").string(), open_mode::read_write_create};
  try {
    db.exec("SELEKT 1");
    FAIL() << "ran a statement that does not parse";
  } catch (const error& e) {
    EXPECT_EQ(e.code(), SQLITE_ERROR);
    EXPECT_NE(std::string{e.what()}.find("SELEKT"), std::string::npos) << e.what();
  }
}

TEST(Connection, PragmasAreSetAndReadBack) {
  const test::temp_dir dir;
  connection db{(dir / "data.db").string(), open_mode::read_write_create};
  db.set_pragma("journal_mode", "WAL");
  EXPECT_EQ(db.pragma("journal_mode"), "wal");
  db.set_pragma("synchronous", "FULL");
  EXPECT_EQ(db.pragma("synchronous"), "2");
  db.set_pragma("synchronous", "NORMAL");
  EXPECT_EQ(db.pragma("synchronous"), "1");
}

TEST(Connection, ChangesAndLastInsertRowidDescribeTheLastWrite) {
  const test::temp_dir dir;
  connection db{(dir / "data.db").string(), open_mode::read_write_create};
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
  db.exec("INSERT INTO t (v) VALUES (1), (2), (3)");
  EXPECT_EQ(db.changes(), 3);
  EXPECT_EQ(db.last_insert_rowid(), 3);
  db.exec("DELETE FROM t WHERE v >= 2");
  EXPECT_EQ(db.changes(), 2);
  db.exec("UPDATE t SET v = 9 WHERE v = 100");
  EXPECT_EQ(db.changes(), 0);
}

}  // namespace
}  // namespace evs::sqlite
