#include "storage/store_factory.hpp"

#include "storage/mariadb/mariadb_event_store.hpp"
#include "storage/postgres/pg_event_store.hpp"
#include "storage/sqlite/sqlite_event_store.hpp"

#include <stdexcept>

namespace evs::storage {

std::unique_ptr<event_store> open_event_store(const storage_config& config) {
  if (const auto* sqlite = std::get_if<sqlite_config>(&config)) {
    try {
      return std::make_unique<sqlite::sqlite_event_store>(*sqlite);
    } catch (const std::exception& e) {
      throw std::runtime_error("DB_PATH: cannot open SQLite database " + sqlite->path + ": " +
                               e.what());
    }
  }
  if (const auto* mariadb = std::get_if<mariadb_config>(&config))
    return std::make_unique<mariadb::mariadb_event_store>(*mariadb);
  return std::make_unique<postgres::pg_event_store>(std::get<postgres_config>(config));
}

}  // namespace evs::storage
