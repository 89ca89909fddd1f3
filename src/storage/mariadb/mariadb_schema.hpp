#pragma once
// Schema creation and forward migrations, recorded in `schema_version`.
#include "storage/mariadb/mariadb_connection.hpp"
#include "storage/mariadb/mariadb_dialect.hpp"

namespace evs::storage::mariadb {

inline constexpr int current_schema_version = 1;

// Brings the database to current_schema_version under GET_LOCK, so that consumers starting at
// once migrate one after the other, and returns the dialect the database is in: the one it
// was created with, or for a database without a schema, the one `asked` picks for this
// server. Throws mariadb_error, or std::runtime_error when the database is newer than this
// program, its dialect does not work on this server, or the lock cannot be had.
dialect migrate(connection& db, mariadb_dialect asked);

}  // namespace evs::storage::mariadb
