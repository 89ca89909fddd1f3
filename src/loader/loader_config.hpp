#pragma once
// Everything event-loader can be told, filled once from flags, environment and `.env`.
#include "jetstream/jetstream_config.hpp"
#include "loader/drain_loop.hpp"
#include "runtime/log.hpp"
#include "runtime/setting_table.hpp"
#include "runtime/settings.hpp"
#include "storage/storage_config.hpp"

#include <chrono>
#include <cstdint>
#include <string>

namespace evs::loader {

struct loader_config {
  jetstream::jetstream_config nats;
  drain_settings drain;
  storage::storage_config storage;
  std::string database_url;  // DATABASE_URL; empty: SQLite at sqlite_path
  std::string sqlite_path;   // DB_PATH
  std::chrono::seconds db_timeout{10};
  std::uint16_t metrics_port = 0;  // GET /metrics on this port of metrics_host; 0: off
  std::string metrics_host;
  log::format log_format{};
  log::level log_level{};
};

// Every key of the loader, one row each: its flags, --help, defaults and .env.example part.
const runtime::setting_table<loader_config>& loader_settings();

void declare_loader_settings(runtime::settings& s);

// Reads and validates them; throws runtime::config_error naming the key.
loader_config read_loader_config(const runtime::settings& s);

}  // namespace evs::loader
