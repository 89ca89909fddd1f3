#pragma once
// Schema creation and forward migrations, recorded in `schema_version`.
#include "storage/mariadb/mariadb_connection.hpp"

namespace evs::storage::mariadb {

inline constexpr int current_schema_version = 1;

// Brings the database to current_schema_version under GET_LOCK, so that consumers starting at
// once migrate one after the other. Throws mariadb_error, or std::runtime_error when the
// database is newer than this program or the lock cannot be had.
void migrate(connection& db);

}  // namespace evs::storage::mariadb
