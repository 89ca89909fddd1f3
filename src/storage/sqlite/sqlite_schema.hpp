#pragma once
// Schema creation and forward migrations, recorded in `schema_version`.
#include "storage/sqlite/sqlite_handle.hpp"

namespace evs::storage::sqlite {

inline constexpr int current_schema_version = 1;

// Brings the database to current_schema_version; throws if it is newer than this program.
void migrate(connection& db);

}  // namespace evs::storage::sqlite
