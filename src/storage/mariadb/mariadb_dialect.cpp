#include "storage/mariadb/mariadb_dialect.hpp"

#include <stdexcept>

namespace evs::storage::mariadb {

std::string_view name_of(dialect d) noexcept {
  return d == dialect::native ? "native" : "portable";
}

server_flavour flavour_of(std::string_view server_info, unsigned long version) {
  // MariaDB says so in its version string ("10.11.6-MariaDB-0+deb12u1"); MySQL does not
  // ("9.7.4-2", "8.0.36"), so its description says it for messages and logs.
  const bool mariadb = server_info.find("MariaDB") != std::string_view::npos;
  return {mariadb, version, (mariadb ? "" : "MySQL ") + std::string{server_info}};
}

bool supports_native(const server_flavour& server) noexcept {
  return server.mariadb && server.version >= 100500;
}

dialect dialect_for_new_database(mariadb_dialect asked, const server_flavour& server) {
  switch (asked) {
    case mariadb_dialect::portable: return dialect::portable;
    case mariadb_dialect::native: check_usable(dialect::native, server); return dialect::native;
    case mariadb_dialect::automatic: break;
  }
  return supports_native(server) ? dialect::native : dialect::portable;
}

void check_usable(dialect recorded, const server_flavour& server) {
  if (recorded == dialect::native && !supports_native(server))
    throw std::runtime_error(
        "the native dialect (a sequence and INSERT ... RETURNING) needs MariaDB 10.5 or later; "
        "the server is " +
        server.description);
}

std::string_view binary_collation(const server_flavour& server) noexcept {
  return server.mariadb ? "utf8mb4_nopad_bin" : "utf8mb4_0900_bin";
}

std::string statement_timeout_setting(const server_flavour& server, std::chrono::seconds timeout) {
  if (server.mariadb) return "max_statement_time = " + std::to_string(timeout.count());
  return "max_execution_time = " + std::to_string(timeout.count() * 1000);
}

}  // namespace evs::storage::mariadb
