#pragma once
// Which backend to use, decided once from configuration.
#include <cstddef>
#include <string>
#include <variant>

namespace evs::storage {

struct sqlite_config {
  std::string path = "./data/events.db";
  std::size_t read_connections = 4;
};

struct postgres_config {
  std::string conninfo;  // a libpq connection string or postgresql:// URI
  std::size_t write_connections = 4;
  std::size_t read_connections = 4;
  // The setting the conninfo came from, named in start-up errors.
  std::string setting = "DB_HOSTNAME/DATABASE_URL";
};

using storage_config = std::variant<sqlite_config, postgres_config>;

}  // namespace evs::storage
