#pragma once
// Schema creation and forward migrations, recorded in `schema_version`.
#include "storage/postgres/pg_connection.hpp"

namespace evs::storage::postgres {

inline constexpr int current_schema_version = 1;

// Brings the database to current_schema_version under a transaction-scoped advisory lock,
// so that consumers starting at once migrate one after the other. Throws pg_error, or
// std::runtime_error when the database is newer than this program.
void migrate(connection& db);

}  // namespace evs::storage::postgres
