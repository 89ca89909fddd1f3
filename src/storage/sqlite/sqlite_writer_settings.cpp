#include "storage/sqlite/sqlite_writer_settings.hpp"

namespace evs::storage::sqlite {

void configure_writer(connection& db) {
  db.exec("PRAGMA journal_mode=WAL");
  // FULL: a commit is on disk (WAL fsynced) before we acknowledge it.
  db.exec("PRAGMA synchronous=FULL");
  db.exec("PRAGMA foreign_keys=ON");
  // Statement journals and temporary tables stay in memory instead of spilling to files that
  // are created, written and unlinked inside a commit.
  db.exec("PRAGMA temp_store=MEMORY");
}

}  // namespace evs::storage::sqlite
