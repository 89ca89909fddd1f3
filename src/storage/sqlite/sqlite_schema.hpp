#pragma once
// The store's schema and its forward migrations, recorded in `schema_version`.
#include "sqlite/connection.hpp"

namespace evs::storage::sqlite {

inline constexpr int current_schema_version = 1;

// Brings the database to current_schema_version; throws evs::sqlite::error if it is newer than
// this program.
void migrate(evs::sqlite::connection& db);

}  // namespace evs::storage::sqlite
