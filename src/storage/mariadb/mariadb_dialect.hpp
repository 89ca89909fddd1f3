#pragma once
// What differs between the servers the MariaDB store speaks to, decided in one place.
//
// Two things vary. The server's flavour (MariaDB or MySQL, from the connection's handshake)
// decides spellings that every database on it must use: the NO PAD binary collation and the
// session's statement timeout. The dialect decides how ids are drawn and duplicates found:
//   native    a sequence (NEXTVAL) and INSERT ... ON DUPLICATE KEY UPDATE ... RETURNING: one
//             round trip tells new rows from duplicates. MariaDB 10.5 or later.
//   portable  a one-row counter table and the same insert without RETURNING: its affected-rows
//             count says how many rows are new, and only when some are not does a SELECT in the
//             same transaction say which. MySQL 8, and MariaDB before 10.5.
// A database records its dialect by the id source it holds (events_id_seq or
// events_id_counter) and is always used in that dialect.
#include "storage/storage_config.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace evs::storage::mariadb {

enum class dialect { native, portable };

std::string_view name_of(dialect d) noexcept;

// The server as its handshake describes it.
struct server_flavour {
  bool mariadb = false;
  unsigned long version = 0;  // major * 10000 + minor * 100 + patch, as mysql_get_server_version
  std::string description;    // mysql_get_server_info, for messages; "MySQL " before MySQL's
};

// From mysql_get_server_info() and mysql_get_server_version().
server_flavour flavour_of(std::string_view server_info, unsigned long version);

// MariaDB 10.5 added INSERT ... RETURNING; sequences came with 10.3.
bool supports_native(const server_flavour& server) noexcept;

// The dialect a database without a schema is created in. Throws std::runtime_error when the
// native dialect is asked of a server that lacks it.
dialect dialect_for_new_database(mariadb_dialect asked, const server_flavour& server);

// Checks that a database created in `recorded` can be used on this server. Throws
// std::runtime_error saying why not.
void check_usable(dialect recorded, const server_flavour& server);

// Binary and NO PAD, so that 'a' and 'a ' are different values: MySQL 8's utf8mb4_0900_bin,
// MariaDB's utf8mb4_nopad_bin.
std::string_view binary_collation(const server_flavour& server) noexcept;

// The SET SESSION assignment that makes the server give up on a statement after `timeout`:
// MariaDB's max_statement_time (seconds, any statement), MySQL's max_execution_time
// (milliseconds, read-only SELECTs only; writes are bounded by innodb_lock_wait_timeout).
std::string statement_timeout_setting(const server_flavour& server, std::chrono::seconds timeout);

}  // namespace evs::storage::mariadb
