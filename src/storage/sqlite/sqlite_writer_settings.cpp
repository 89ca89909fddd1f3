#include "storage/sqlite/sqlite_writer_settings.hpp"

namespace evs::storage::sqlite {

void configure_writer(connection& db) {
  db.exec("PRAGMA journal_mode=WAL");
  // FULL: a commit is on disk (WAL fsynced) before we acknowledge it.
  db.exec("PRAGMA synchronous=FULL");
  db.exec("PRAGMA foreign_keys=ON");
  // A large insert's statement journal stays in memory instead of spilling to a temporary file
  // that is created, written and unlinked within the commit.
  db.exec("PRAGMA temp_store=MEMORY");
}

}  // namespace evs::storage::sqlite
