#pragma once
// The PostgreSQL connection pool: storage::connection_pool over libpq connections.
#include "storage/connection_pool.hpp"
#include "storage/postgres/pg_connection.hpp"

#include <string>
#include <string_view>

namespace evs::storage::postgres {

struct pool_traits {
  using connection = postgres::connection;
  using connect_options = postgres::connect_options;
  using error = pg_error;
  static constexpr std::string_view server = "PostgreSQL";
  [[noreturn]] static void unavailable(const std::string& what) { throw pg_error(what, "", true); }
  // Outside a transaction and not broken: what the next caller may be handed.
  static bool reusable(const connection& conn) noexcept { return conn.idle_outside_transaction(); }
};

using connection_pool = storage::connection_pool<pool_traits>;

}  // namespace evs::storage::postgres
