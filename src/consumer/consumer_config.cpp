#include "consumer/consumer_config.hpp"

#include "jetstream/nats_settings.hpp"
#include "storage/database_keys.hpp"
#include "storage/postgres/postgres_hosts.hpp"

#include <stdexcept>
#include <string_view>

namespace evs::consumer {
namespace {

using runtime::choice_setting;
using runtime::integer_setting;
using runtime::secret_setting;
using runtime::setting_value;
using runtime::text_setting;
using config = consumer_config;

const runtime::setting_table<config> table = {
    secret_setting<config>("SECRET_KEY", auth::min_secret_bytes,
                           "HMAC key of the JWTs (required; at least 32 random bytes)",
                           [](config& c, const setting_value& v) { c.secret_key = v.text; }),
    choice_setting<config>(
        "ALGORITHM", "HS256", {"HS256", "HS384", "HS512"},
        "JWT algorithm: HS256, HS384 or HS512; tokens signed otherwise are refused",
        [](config& c, const setting_value& v) {
          c.algorithm = *auth::parse_jwt_algorithm(v.text);
        }),
    text_setting<config>(
        "JWT_AUDIENCE", "", "when set, tokens must name it in their aud claim (else 401)",
        [](config& c, const setting_value& v) { c.token_rules.audience = v.text; }),
    text_setting<config>("JWT_ISSUER", "", "when set, tokens must carry it as their iss claim",
                         [](config& c, const setting_value& v) { c.token_rules.issuer = v.text; }),
    text_setting<config>("HOST", "127.0.0.1", "listen address",
                         [](config& c, const setting_value& v) { c.server.host = v.text; }),
    integer_setting<config>(
        "PORT", "8000", 0, 65535, "listen port (0: any free port)",
        [](config& c, const setting_value& v) { c.server.port = v.as<std::uint16_t>(); }),
    integer_setting<config>(
        "MAX_CONNECTIONS", "0", 0, 1'000'000,
        "connections held at once; more are closed at once (0: the open-file "
        "limit, raised to its maximum, less a reserve)",
        [](config& c, const setting_value& v) { c.server.max_connections = v.as<std::size_t>(); }),
    integer_setting<config>(
        "THREADS", "0", 0, 256, "I/O threads (0: one per core)",
        [](config& c, const setting_value& v) { c.server.threads = v.as<std::size_t>(); }),
    text_setting<config>(
        "DB_PATH", "./data/events.db",
        "SQLite file (folder created), used when neither DATABASE_URL nor "
        "DB_HOSTNAME is set",
        [](config& c, const setting_value& v) { c.database.sqlite_path = v.text; }),
    text_setting<config>("DB_HOSTNAME", "",
                         "database host, by parts (the original service's names; MySQL: may be "
                         "host:port), or several PostgreSQL hosts (h1,h2): writers follow "
                         "whichever is the primary; unset: SQLite",
                         [](config& c, const setting_value& v) { c.database.hostname = v.text; }),
    choice_setting<config>(
        "DB_DRIVER", "postgresql", {"postgresql", "mysql", "mariadb"},
        "the server at DB_HOSTNAME: postgresql, or mysql (MariaDB, or MySQL 8 or later; also "
        "spelled mariadb)",
        [](config& c, const setting_value& v) { c.database.driver = v.text; }),
    text_setting<config>(
        "DB_PORT", "0",
        "database port (0: 5432 for PostgreSQL, 3306 for MySQL); PostgreSQL: one for every "
        "DB_HOSTNAME host or one per host (5432,5433)",
        [](config& c, const setting_value& v) {
          c.database.ports = storage::parse_port_list(v.text);
        }),
    text_setting<config>("DB_USER", "", "database user",
                         [](config& c, const setting_value& v) { c.database.user = v.text; }),
    secret_setting<config>("DB_PASSWORD", 0, "database password",
                           [](config& c, const setting_value& v) { c.database.password = v.text; }),
    text_setting<config>("DB_DATASET", "", "database name",
                         [](config& c, const setting_value& v) { c.database.dataset = v.text; }),
    text_setting<config>(
        "DATABASE_URL", "",
        "or by URL: postgresql://user:pass@host:5432/db (several hosts: h1:5432,h2:5433), "
        "mysql://user:pass@host:3306/db (or mariadb://), sqlite:///relative.db, "
        "sqlite:////abs.db",
        [](config& c, const setting_value& v) { c.database.url = v.text; }),
    text_setting<config>(
        "DB_READ_URL", "",
        "PostgreSQL only, optional: postgresql:// URL of a standby that serves listing and "
        "looking up events (they may lag; see the README)",
        [](config& c, const setting_value& v) { c.database.read_url = v.text; }),
    integer_setting<config>("DB_WRITE_CONNECTIONS", "4", 1, 64,
                            "PostgreSQL/MariaDB connections committing batches",
                            [](config& c, const setting_value& v) {
                              c.database.write_connections = v.as<std::size_t>();
                            }),
    integer_setting<config>("DB_READ_CONNECTIONS", "4", 1, 64, "connections serving reads",
                            [](config& c, const setting_value& v) {
                              c.database.read_connections = v.as<std::size_t>();
                            }),
    integer_setting<config>(
        "DB_TIMEOUT_SECONDS", "10", 1, 3600,
        "PostgreSQL, MariaDB: longest wait for one call (connect, statement, commit); then 503",
        [](config& c, const setting_value& v) {
          c.database.timeout = std::chrono::seconds{v.integer};
        }),
    integer_setting<config>(
        "MAX_BODY_BYTES", "1048576", 1024, 1LL << 30, "largest request body",
        [](config& c, const setting_value& v) { c.server.body_limit = v.as<std::size_t>(); }),
    integer_setting<config>("MAX_PAYLOAD_BYTES", "65536", 2, 1LL << 30,
                            "largest event_payload, as JSON text",
                            [](config& c, const setting_value& v) {
                              c.limits.max_payload_bytes = v.as<std::size_t>();
                            }),
    integer_setting<config>(
        "MAX_BATCH", "1000", 1, 1'000'000, "most events in one request",
        [](config& c, const setting_value& v) { c.limits.max_batch = v.as<std::size_t>(); }),
    integer_setting<config>(
        "WRITE_QUEUE_EVENTS", "100000", 1, 100'000'000,
        "events waiting for a commit before writes answer 503 + Retry-After",
        [](config& c, const setting_value& v) { c.writer.queue_capacity = v.as<std::size_t>(); }),
    integer_setting<config>("READ_TIMEOUT_SECONDS", "10", 1, 3600,
                            "time a client has to send a whole request",
                            [](config& c, const setting_value& v) {
                              c.server.read_timeout = std::chrono::seconds{v.integer};
                            }),
    integer_setting<config>("IDLE_TIMEOUT_SECONDS", "60", 1, 86400,
                            "keep-alive connections idle this long are closed",
                            [](config& c, const setting_value& v) {
                              c.server.idle_timeout = std::chrono::seconds{v.integer};
                            }),
    integer_setting<config>(
        "SHUTDOWN_TIMEOUT_SECONDS", "10", 0, 3600,
        "on SIGTERM, in-flight requests get this long before the consumer exits",
        [](config& c, const setting_value& v) {
          c.server.shutdown_timeout = std::chrono::seconds{v.integer};
        }),
    choice_setting<config>(
        "METRICS", "public", {"public", "off"},
        "GET /metrics (Prometheus text format): public on the listener without a token, or off "
        "(404)",
        [](config& c, const setting_value& v) { c.serve_metrics = v.text == "public"; }),
    integer_setting<config>(
        "ADMIN_PORT", "0", 0, 65535,
        "a second listener on HOST for /metrics, /dashboard, /openapi.json and /docs, which then "
        "leave the main port; it serves the API too, with the same tokens (0: none)",
        [](config& c, const setting_value& v) { c.admin_port = v.as<std::uint16_t>(); }),
    choice_setting<config>("LOG_FORMAT", "text", {"text", "json"}, "logs on stderr: text or json",
                           [](config& c, const setting_value& v) {
                             c.log_format = runtime::log_format_named(v.text);
                           }),
    choice_setting<config>(
        "LOG_LEVEL", "info", {"debug", "info", "warn", "error"}, "debug, info, warn or error",
        [](config& c, const setting_value& v) { c.log_level = runtime::log_level_named(v.text); }),
};

// The rows above, then INGEST and the NATS_* keys that event-loader shares.
const runtime::setting_table<config> all_settings = [] {
  auto rows = table;
  rows.push_back(choice_setting<config>(
      "INGEST", "database", {"database", "jetstream"},
      "writes go to the database, or to the JetStream stream of NATS_URL (event-loader moves "
      "them into the database, which reads still use)",
      [](config& c, const setting_value& v) { c.ingest_jetstream = v.text == "jetstream"; }));
  for (auto& row : jetstream::nats_settings<config>()) rows.push_back(row);
  return rows;
}();

// Publishes in flight at once in JetStream mode, each a group of requests.
constexpr std::size_t jetstream_writers = 4;
// On a database server, a second commit in parallel once this many events wait (a request
// of 100 events is enough on its own); below it one commit at a time, in larger groups.
// Measured on PostgreSQL at one event per request, 64 connections: 1.3x the rate of four
// writers committing whatever is queued.
constexpr std::size_t parallel_commit_events = 100;

// Cross-key rules the rows cannot state alone.
void finish(consumer_config& c) {
  if (c.admin_port != 0 && c.admin_port == c.server.port)
    throw runtime::config_error("ADMIN_PORT: must differ from PORT (" +
                                std::to_string(c.server.port) + ")");
  c.storage = storage::storage_config_from(c.database);
  storage::check_read_url(c.database.read_url, c.storage);
  const auto on_database_server = [&c](std::size_t write_connections) {
    c.writer.writers = write_connections;
    c.writer.parallel_from_events = parallel_commit_events;
  };
  if (const auto* pg = std::get_if<storage::postgres_config>(&c.storage))
    on_database_server(pg->write_connections);
  if (const auto* mariadb = std::get_if<storage::mariadb_config>(&c.storage))
    on_database_server(mariadb->write_connections);
  if (c.ingest_jetstream) c.writer.writers = jetstream_writers;
}

}  // namespace

const runtime::setting_table<consumer_config>& consumer_settings() { return all_settings; }

consumer_config default_consumer_config() {
  consumer_config c;
  runtime::apply_defaults(all_settings, c);
  finish(c);
  return c;
}

void declare_consumer_settings(runtime::settings& s) { runtime::declare(s, all_settings); }

consumer_config read_consumer_config(const runtime::settings& s) {
  // The one key without a default says so first, before any range check.
  if (!s.optional_text("SECRET_KEY"))
    throw runtime::config_error("SECRET_KEY: must be set (the HMAC key of the JWTs)");
  consumer_config c;
  runtime::read(s, all_settings, c);
  finish(c);
  return c;
}

}  // namespace evs::consumer
