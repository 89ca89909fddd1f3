#include "storage/sqlite/sqlite_writer_settings.hpp"

namespace evs::storage::sqlite {

void configure_writer(evs::sqlite::connection& db) {
  db.set_pragma("journal_mode", "WAL");
  // FULL: a commit is on disk (WAL fsynced) before we acknowledge it.
  db.set_pragma("synchronous", "FULL");
  db.set_pragma("foreign_keys", "ON");
  // Statement journals and temporary tables stay in memory instead of spilling to files that
  // are created, written and unlinked inside a commit.
  db.set_pragma("temp_store", "MEMORY");
}

}  // namespace evs::storage::sqlite
