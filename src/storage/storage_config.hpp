#pragma once
// Which backend to use, decided once from configuration.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace evs::storage {

struct sqlite_config {
  std::string path = "./data/events.db";
  std::size_t read_connections = 4;
};

// One libpq connection keyword and its value, passed to PQconnectdbParams as they are: no
// quoting, so spaces, quotes and backslashes in a password cannot change what libpq reads.
struct connection_param {
  std::string keyword;
  std::string value;
};

struct postgres_config {
  std::vector<connection_param> params;
  // libpq reads the first `dbname` as a postgresql:// URL or a "key=value ..." string and
  // expands it (a DATABASE_URL); without this it is a database name and nothing more.
  bool expand_dbname = false;
  std::size_t write_connections = 4;
  std::size_t read_connections = 4;
  // The longest wait for PostgreSQL in one call: connecting, a statement, a commit.
  std::chrono::milliseconds timeout{10'000};
  // The setting the connection came from, named in start-up errors.
  std::string setting = "DB_HOSTNAME/DATABASE_URL";
  // DB_READ_URL: a postgresql:// URL (a standby) for listing and looking up events; empty:
  // reads go where writes go.
  std::string read_url;
};

// A postgresql:// URL (or a libpq connection string), expanded by libpq.
inline postgres_config postgres_from_url(std::string url) {
  postgres_config config;
  config.params.push_back({"dbname", std::move(url)});
  config.expand_dbname = true;
  return config;
}

// How the MariaDB store spells what differs between servers (storage/mariadb/mariadb_dialect.hpp):
// `native` uses MariaDB 10.5's sequences and INSERT ... RETURNING, `portable` what MySQL 8 also
// has. `automatic` picks native on MariaDB 10.5 or later and portable on anything else; the
// others exist for tests. A database keeps the dialect it was created with, whatever is asked.
enum class mariadb_dialect { automatic, native, portable };

// A MariaDB (or MySQL) server, by parts: DATABASE_URL=mysql://... is split into these by
// mariadb_from_url (storage/mariadb/mariadb_url.hpp).
struct mariadb_config {
  std::string host = "127.0.0.1";
  std::uint16_t port = 3306;
  std::string user;
  std::string password;
  std::string database;
  std::size_t write_connections = 4;
  std::size_t read_connections = 4;
  // The longest wait for the server in one call: connecting, reading, writing.
  std::chrono::milliseconds timeout{10'000};
  // The setting the connection came from, named in start-up errors.
  std::string setting = "DB_HOSTNAME/DATABASE_URL";
  // Only for a database that has no schema yet.
  mariadb_dialect dialect = mariadb_dialect::automatic;
};

using storage_config = std::variant<sqlite_config, postgres_config, mariadb_config>;

// The backend's name as logs and metrics show it.
inline std::string_view backend_name(const storage_config& config) {
  if (std::holds_alternative<sqlite_config>(config)) return "sqlite";
  return std::holds_alternative<mariadb_config>(config) ? "mariadb" : "postgresql";
}

}  // namespace evs::storage
