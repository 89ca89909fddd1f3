#pragma once
// The database settings as users write them, and which store they select: the original
// service's DB_* keys, a DATABASE_URL, or the SQLite default.
#include "storage/storage_config.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace evs::storage {

// The storage keys as given (DATABASE_URL, DB_DRIVER, DB_HOSTNAME & co, DB_PATH): the
// consumer and the loader read them alike and decide from them which store to open.
struct database_keys {
  std::string url;       // DATABASE_URL
  std::string read_url;  // DB_READ_URL
  std::string driver;    // DB_DRIVER: postgresql, mysql or mariadb
  std::string hostname;
  // DB_PORT: one for every host, or one per host; empty: the driver's default
  std::vector<std::uint16_t> ports;
  std::string user;
  std::string password;
  std::string dataset;
  std::string sqlite_path;  // DB_PATH
  std::size_t write_connections{};
  std::size_t read_connections{};
  std::chrono::seconds timeout{};  // DB_TIMEOUT_SECONDS
};

// DATABASE_URL / DB_HOSTNAME & co / DB_PATH -> which store, with what; throws
// runtime::config_error naming the key at fault.
storage_config storage_config_from(const database_keys& db);

}  // namespace evs::storage
