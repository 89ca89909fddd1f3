#include "storage/sqlite/sqlite_writer_settings.hpp"

#include "storage/sqlite/sqlite_event_store.hpp"
#include "storage/sqlite/wal_write_batching.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <string>

namespace evs::storage::sqlite {
namespace {

using evs::sqlite::connection;
using evs::sqlite::open_mode;

// synchronous is per connection and invisible from outside, so the guarantee that a commit is
// fsynced before it is acknowledged is checked here, on a connection opened as the store opens
// its writer.
TEST(WriterSettings, WriterUsesWalWithFullSyncAndKeepsTemporariesInMemory) {
  const test::temp_dir dir{"evs-writer-settings"};
  {
    connection db{(dir / "events.db").string(), open_mode::read_write_create,
                  wal_write_batching_vfs()};
    configure_writer(db);
    EXPECT_EQ(db.pragma("journal_mode"), "wal");
    EXPECT_EQ(db.pragma("synchronous"), "2");  // FULL
    EXPECT_EQ(db.pragma("temp_store"), "2");   // MEMORY
    EXPECT_EQ(db.pragma("foreign_keys"), "1");
  }
}

// The same settings read on the store's own writer, the connection whose commits are
// acknowledged: a connection opened by the test would show only what configure_writer does.
TEST(WriterSettings, StoresOwnWriterCommitsWithFullSync) {
  const test::temp_dir dir{"evs-writer-settings"};
  sqlite_event_store store{{.path = (dir / "events.db").string(), .read_connections = 1}};
  EXPECT_EQ(store.writer_pragma("synchronous"), "2");  // FULL
  EXPECT_EQ(store.writer_pragma("journal_mode"), "wal");
}

}  // namespace
}  // namespace evs::storage::sqlite
