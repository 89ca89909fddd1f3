#include "storage/sqlite/wal_write_batching.hpp"

#include "sqlite/connection.hpp"
#include "sqlite/statement.hpp"
#include "sqlite/transaction.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

namespace evs::storage::sqlite {
namespace {

using evs::sqlite::connection;
using evs::sqlite::open_mode;
using evs::sqlite::statement;
using evs::sqlite::transaction;

std::int64_t count_rows(connection& db) {
  statement count{db, "SELECT count(*) FROM t"};
  count.step();
  return count.column_int64(0);
}

class WalWriteBatching : public ::testing::TestWithParam<const char*> {
 protected:
  test::temp_dir dir_{"evs-wal-batching"};
  std::string path_ = (dir_ / "t.db").string();
};

// Every commit is visible to another connection (plain VFS) at once, across WAL restarts and
// checkpoints, whatever the synchronous setting; and the file stays sound.
TEST_P(WalWriteBatching, CommitsAreVisibleToReadersAtOnceAndTheFileStaysSound) {
  connection writer{path_, open_mode::read_write_create, wal_write_batching_vfs()};
  writer.set_pragma("journal_mode", "WAL");
  writer.set_pragma("synchronous", GetParam());
  writer.set_pragma("wal_autocheckpoint", "100");  // restarts the WAL often
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  connection reader{path_, open_mode::read_only};
  statement insert{writer, "INSERT INTO t (body) VALUES (?)"};

  const auto gathered_before = wal_writes_gathered();
  std::int64_t expected = 0;
  for (int commit = 0; commit < 300; ++commit) {
    transaction tx{writer};
    for (int row = 0; row < 1 + commit % 40; ++row) {
      const std::string body(static_cast<std::size_t>(200 + row * 37),
                             static_cast<char>('a' + row % 26));
      insert.bind(1, std::string_view{body});
      insert.step();
      insert.reset();
      ++expected;
    }
    tx.commit();
    ASSERT_EQ(count_rows(reader), expected) << "after commit " << commit;
  }

  EXPECT_GT(wal_writes_gathered(), gathered_before + 300) << "the writes were not gathered";

  statement check{reader, "PRAGMA integrity_check"};
  ASSERT_TRUE(check.step());
  EXPECT_EQ(check.column_text(0), "ok");
}

// Two connections writing one database through the VFS: each commit is still seen by the
// other and by a reader (the VFS stops gathering when it cannot tell whose WAL is whose).
TEST_P(WalWriteBatching, TwoWritersOnOneDatabaseSeeEachOthersCommits) {
  connection first{path_, open_mode::read_write_create, wal_write_batching_vfs()};
  first.set_pragma("journal_mode", "WAL");
  first.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  connection second{path_, open_mode::read_write, wal_write_batching_vfs()};
  connection reader{path_, open_mode::read_only};
  for (auto* db : {&first, &second}) db->set_pragma("synchronous", GetParam());
  for (int commit = 0; commit < 50; ++commit) {
    auto& writer = commit % 2 == 0 ? first : second;
    writer.exec("INSERT INTO t (body) VALUES (hex(randomblob(900)))");
    ASSERT_EQ(count_rows(commit % 2 == 0 ? second : first), commit + 1);
    ASSERT_EQ(count_rows(reader), commit + 1);
  }
}

// A transaction larger than the in-memory batch is written in several pieces.
TEST_P(WalWriteBatching, ALargeTransactionSurvivesReopening) {
  {
    connection writer{path_, open_mode::read_write_create, wal_write_batching_vfs()};
    writer.set_pragma("journal_mode", "WAL");
    writer.set_pragma("synchronous", GetParam());
    writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
    transaction tx{writer};
    statement insert{writer, "INSERT INTO t (body) VALUES (?)"};
    for (int row = 0; row < 3000; ++row) {
      const std::string body(1000, 'x');
      insert.bind(1, std::string_view{body});
      insert.step();
      insert.reset();
    }
    tx.commit();
  }
  connection reopened{path_, open_mode::read_only};
  EXPECT_EQ(count_rows(reopened), 3000);
}

INSTANTIATE_TEST_SUITE_P(Synchronous, WalWriteBatching, ::testing::Values("FULL", "NORMAL"));

// The layer goes over the default VFS of the moment: a VFS a test makes the default for a while
// gets a layer of its own, and once it is gone, stores open over the first one again.
TEST(WalWriteBatchingLayers, FollowTheDefaultVfs) {
  const std::string first = wal_write_batching_vfs();
  sqlite3_vfs other = *sqlite3_vfs_find(nullptr);
  other.pNext = nullptr;
  other.zName = "evs-test-default";
  ASSERT_EQ(sqlite3_vfs_register(&other, 1), SQLITE_OK);
  const std::string second = wal_write_batching_vfs();
  EXPECT_NE(second, first);
  EXPECT_EQ(wal_write_batching_vfs(), second) << "one layer per VFS, not one per call";
  {
    const test::temp_dir dir{"evs-wal-layers"};
    connection db{(dir / "t.db").string(), open_mode::read_write_create, second.c_str()};
    db.set_pragma("journal_mode", "WAL");
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    db.exec("INSERT INTO t DEFAULT VALUES");
    EXPECT_EQ(count_rows(db), 1);
  }
  // SQLite then picks a new default as it likes (here: the layer over `other`, which is never
  // wrapped again); the process's own default comes back as a test's crash VFS leaves.
  ASSERT_EQ(sqlite3_vfs_unregister(&other), SQLITE_OK);
  EXPECT_EQ(wal_write_batching_vfs(), second) << "a layer is not put over a layer";
  ASSERT_EQ(sqlite3_vfs_register(sqlite3_vfs_find("unix"), 1), SQLITE_OK);
  EXPECT_EQ(wal_write_batching_vfs(), first);
}

}  // namespace
}  // namespace evs::storage::sqlite
