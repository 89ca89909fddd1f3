#include "storage/sqlite/sqlite_writer_settings.hpp"

#include "storage/sqlite/wal_write_batching.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <string>

namespace evs::storage::sqlite {
namespace {

std::string pragma(connection& db, const char* name) {
  statement query{db.get(), std::string{"PRAGMA "} + name};
  EXPECT_TRUE(query.step()) << name;
  return query.column_text(0);
}

// synchronous is per connection and invisible from outside, so the guarantee that a commit is
// fsynced before it is acknowledged is checked here, on a connection opened as the store opens
// its writer.
TEST(WriterSettings, WriterUsesWalWithFullSyncAndKeepsTemporariesInMemory) {
  const test::temp_dir dir{"evs-writer-settings"};
  {
    connection db{(dir / "events.db").string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                  wal_write_batching_vfs()};
    configure_writer(db);
    EXPECT_EQ(pragma(db, "journal_mode"), "wal");
    EXPECT_EQ(pragma(db, "synchronous"), "2");  // FULL
    EXPECT_EQ(pragma(db, "temp_store"), "2");   // MEMORY
    EXPECT_EQ(pragma(db, "foreign_keys"), "1");
  }
}

}  // namespace
}  // namespace evs::storage::sqlite
