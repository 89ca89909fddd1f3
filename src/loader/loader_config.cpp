#include "loader/loader_config.hpp"

#include "jetstream/nats_settings.hpp"
#include "propagator/metrics_listener_settings.hpp"
#include "storage/database_keys.hpp"

namespace evs::loader {
namespace {

using runtime::choice_setting;
using runtime::integer_setting;
using runtime::number_setting;
using runtime::setting_value;
using runtime::text_setting;
using config = loader_config;

const runtime::setting_table<config> table = [] {
  runtime::setting_table<config> rows = {
      text_setting<config>(
          "DATABASE_URL", "",
          "or by URL: postgresql://user:pass@host:5432/db, or sqlite:///relative.db, "
          "sqlite:////abs.db",
          [](config& c, const setting_value& v) { c.database_url = v.text; }),
      text_setting<config>("DB_PATH", "./data/events.db",
                           "SQLite file (folder created), used when neither DATABASE_URL nor "
                           "DB_HOSTNAME is set",
                           [](config& c, const setting_value& v) { c.sqlite_path = v.text; }),
      integer_setting<config>("DB_TIMEOUT_SECONDS", "10", 1, 3600,
                              "PostgreSQL: longest wait for one call (connect, statement, commit); "
                              "then the batch is tried again",
                              [](config& c, const setting_value& v) {
                                c.db_timeout = std::chrono::seconds{v.integer};
                              }),
  };
  for (auto& row : jetstream::nats_settings<config>()) rows.push_back(row);
  const runtime::setting_table<config> own = {
      text_setting<config>(
          "NATS_DURABLE", "event-loader",
          "name of the loader's durable consumer on the stream: loaders sharing it share the "
          "work, and its position survives restarts",
          [](config& c, const setting_value& v) {
            if (v.text.find_first_of(".*> \t") != std::string::npos)
              throw runtime::config_error("NATS_DURABLE: must not hold '.', '*', '>' or spaces");
            c.drain.durable = v.text;
          }),
      integer_setting<config>(
          "LOADER_BATCH", "1000", 1, 100'000, "events fetched and committed in one transaction",
          [](config& c, const setting_value& v) { c.drain.batch = v.as<std::size_t>(); }),
      integer_setting<config>("ACK_WAIT_SECONDS", "30", 1, 3600,
                              "a fetched batch not acknowledged this long is delivered again",
                              [](config& c, const setting_value& v) {
                                c.drain.ack_wait = std::chrono::seconds{v.integer};
                              }),
      number_setting<config>(
          "STATUS_INTERVAL_SECONDS", "5", 0.01, 86400, "seconds between status lines",
          [](config& c, const setting_value& v) {
            c.drain.status_interval =
                std::chrono::milliseconds{static_cast<std::int64_t>(v.number * 1000)};
          }),
  };
  rows.insert(rows.end(), own.begin(), own.end());
  for (auto& row : propagator::metrics_listener_settings<config>()) rows.push_back(row);
  const runtime::setting_table<config> logging = {
      choice_setting<config>("LOG_FORMAT", "text", {"text", "json"}, "logs on stderr: text or json",
                             [](config& c, const setting_value& v) {
                               c.log_format = runtime::log_format_named(v.text);
                             }),
      choice_setting<config>("LOG_LEVEL", "info", {"debug", "info", "warn", "error"},
                             "debug, info, warn or error",
                             [](config& c, const setting_value& v) {
                               c.log_level = runtime::log_level_named(v.text);
                             }),
  };
  rows.insert(rows.end(), logging.begin(), logging.end());
  return rows;
}();

}  // namespace

const runtime::setting_table<loader_config>& loader_settings() { return table; }

void declare_loader_settings(runtime::settings& s) { runtime::declare(s, table); }

loader_config read_loader_config(const runtime::settings& s) {
  loader_config c;
  runtime::read(s, table, c);
  // The consumer's reading of the database keys, so both programs open the same store.
  storage::database_keys db;
  db.url = c.database_url;
  db.sqlite_path = c.sqlite_path;
  db.write_connections = 1;
  db.read_connections = 1;
  db.timeout = c.db_timeout;
  c.storage = storage::storage_config_from(db);
  return c;
}

}  // namespace evs::loader
