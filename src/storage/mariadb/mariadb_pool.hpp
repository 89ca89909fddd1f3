#pragma once
// The MariaDB connection pool: storage::connection_pool over Connector/C connections.
#include "storage/connection_pool.hpp"
#include "storage/mariadb/mariadb_connection.hpp"

#include <errmsg.h>

#include <string>
#include <string_view>

namespace evs::storage::mariadb {

struct pool_traits {
  using connection = mariadb::connection;
  using connect_options = mariadb::connect_options;
  using error = mariadb_error;
  static constexpr std::string_view server = "MariaDB";
  [[noreturn]] static void unavailable(const std::string& what) {
    throw mariadb_error(what, CR_CONNECTION_ERROR, true);
  }
  static bool reusable(const connection& conn) noexcept { return conn.open(); }
};

using connection_pool = storage::connection_pool<pool_traits>;

}  // namespace evs::storage::mariadb
