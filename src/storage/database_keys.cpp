#include "storage/database_keys.hpp"

#include "runtime/settings.hpp"
#include "storage/mariadb/mariadb_url.hpp"
#include "storage/postgres/postgres_hosts.hpp"

#include <stdexcept>
#include <string_view>

namespace evs::storage {
namespace {

// DB_HOSTNAME may carry the port, as the original service's did: host:port or [v6]:port.
void split_host_port(std::string_view hostname, mariadb_config& out) {
  std::string_view port;
  if (hostname.starts_with('[') && hostname.find(']') != std::string_view::npos) {
    const auto close = hostname.find(']');
    out.host = std::string{hostname.substr(1, close - 1)};
    if (hostname.substr(close + 1).starts_with(':')) port = hostname.substr(close + 2);
  } else if (const auto colon = hostname.find(':');
             colon != std::string_view::npos &&
             hostname.find(':', colon + 1) == std::string_view::npos) {
    out.host = std::string{hostname.substr(0, colon)};
    port = hostname.substr(colon + 1);
  } else {
    out.host = std::string{hostname};
  }
  if (port.empty()) return;
  out.port = static_cast<std::uint16_t>(
      runtime::parse_integer("DB_HOSTNAME (its port)", std::string{port}, 1, 65535));
}

mariadb_config mariadb_from_keys(const database_keys& db) {
  mariadb_config mariadb;
  if (!db.url.empty()) {
    try {
      mariadb = mariadb::mariadb_from_url(db.url);
    } catch (const std::invalid_argument& e) {
      throw runtime::config_error(std::string{"DATABASE_URL: "} + e.what());
    }
    mariadb.setting = "DATABASE_URL";
  } else {
    if (db.ports.size() > 1)
      throw runtime::config_error(
          "DB_PORT: several ports are for PostgreSQL hosts; MariaDB "
          "takes one");
    if (!db.ports.empty()) mariadb.port = db.ports.front();
    split_host_port(db.hostname, mariadb);
    mariadb.user = db.user;
    mariadb.password = db.password;
    mariadb.database = db.dataset;
    mariadb.setting = "DB_HOSTNAME";
  }
  mariadb.write_connections = db.write_connections;
  mariadb.read_connections = db.read_connections;
  mariadb.timeout = db.timeout;
  return mariadb;
}

}  // namespace

storage_config storage_config_from(const database_keys& db) {
  if (!db.url.empty()) {
    constexpr std::string_view sqlite_prefix = "sqlite:///";
    if (db.url.starts_with(sqlite_prefix)) {
      const auto path = db.url.substr(sqlite_prefix.size());
      if (path.empty()) throw runtime::config_error("DATABASE_URL: sqlite:/// needs a file path");
      return sqlite_config{path, db.read_connections};
    }
    if (db.url.starts_with("postgresql://") || db.url.starts_with("postgres://")) {
      auto pg = postgres_from_url(db.url);
      // Before the URL, so that a target_session_attrs in the URL itself still wins.
      if (url_has_several_hosts(db.url))
        pg.params.insert(pg.params.begin(), {"target_session_attrs", "read-write"});
      pg.read_url = db.read_url;
      pg.write_connections = db.write_connections;
      pg.read_connections = db.read_connections;
      pg.timeout = db.timeout;
      pg.setting = "DATABASE_URL";
      return pg;
    }
    if (mariadb::is_mariadb_url(db.url)) return mariadb_from_keys(db);
    throw runtime::config_error(
        "DATABASE_URL: must start with postgresql://, mysql://, mariadb:// or sqlite:///");
  }
  if (!db.hostname.empty() && db.driver != "postgresql") return mariadb_from_keys(db);
  if (!db.hostname.empty()) {
    postgres_config pg;
    pg.params =
        host_params(db.hostname, db.ports.empty() ? std::vector<std::uint16_t>{5432} : db.ports);
    pg.read_url = db.read_url;
    if (!db.user.empty()) pg.params.push_back({"user", db.user});
    if (!db.password.empty()) pg.params.push_back({"password", db.password});
    if (!db.dataset.empty()) pg.params.push_back({"dbname", db.dataset});
    pg.write_connections = db.write_connections;
    pg.read_connections = db.read_connections;
    pg.timeout = db.timeout;
    pg.setting = "DB_HOSTNAME";
    return pg;
  }
  return sqlite_config{db.sqlite_path, db.read_connections};
}

}  // namespace evs::storage
