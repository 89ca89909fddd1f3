#include "consumer/consumer_config.hpp"

#include <thread>

namespace evs::consumer {
void declare_consumer_settings(runtime::settings& s) {
  s.declare("SECRET_KEY", "", "HMAC key that signs the JWTs (required)");
  s.declare("ALGORITHM", "HS256", "JWT algorithm: HS256, HS384 or HS512");
  s.declare("HOST", "127.0.0.1", "listen address");
  s.declare("PORT", "8000", "listen port (0: any free port)");
  s.declare("THREADS", "0", "I/O threads (0: one per core)");
  s.declare("DATABASE_URL", "", "postgresql://user:pass@host:port/db or sqlite:///path/file.db");
  s.declare("DB_HOSTNAME", "", "PostgreSQL host; when unset, the embedded SQLite store is used");
  s.declare("DB_PORT", "5432", "PostgreSQL port");
  s.declare("DB_USER", "", "PostgreSQL user");
  s.declare("DB_PASSWORD", "", "PostgreSQL password");
  s.declare("DB_DATASET", "", "PostgreSQL database name");
  s.declare("DB_PATH", "./data/events.db", "SQLite file (its folder is created)");
  s.declare("DB_WRITE_CONNECTIONS", "4", "PostgreSQL connections committing batches");
  s.declare("DB_READ_CONNECTIONS", "4", "connections serving reads");
  s.declare("MAX_BODY_BYTES", "1048576", "largest request body");
  s.declare("MAX_PAYLOAD_BYTES", "65536", "largest event_payload, as JSON text");
  s.declare("MAX_BATCH", "1000", "most events in one request");
  s.declare("WRITE_QUEUE_EVENTS", "100000", "events waiting for a commit before 503s");
  s.declare("READ_TIMEOUT_SECONDS", "10", "time a client has to send a whole request");
  s.declare("IDLE_TIMEOUT_SECONDS", "60", "keep-alive connections idle this long are closed");
  s.declare("SHUTDOWN_TIMEOUT_SECONDS", "10", "time in-flight requests get on SIGTERM");
  s.declare("LOG_FORMAT", "text", "text or json");
  s.declare("LOG_LEVEL", "info", "debug, info, warn or error");
}

storage::storage_config read_storage_config(const runtime::settings& s) {
  const auto read_connections = static_cast<std::size_t>(s.integer("DB_READ_CONNECTIONS", 1, 64));
  const auto write_connections = static_cast<std::size_t>(s.integer("DB_WRITE_CONNECTIONS", 1, 64));
  if (const auto url = s.optional_text("DATABASE_URL")) {
    constexpr std::string_view sqlite_prefix = "sqlite:///";
    if (url->starts_with(sqlite_prefix)) {
      const auto path = url->substr(sqlite_prefix.size());
      if (path.empty()) throw runtime::config_error("DATABASE_URL: sqlite:/// needs a file path");
      return storage::sqlite_config{path, read_connections};
    }
    if (url->starts_with("postgresql://") || url->starts_with("postgres://")) {
      auto pg = storage::postgres_from_url(*url);
      pg.write_connections = write_connections;
      pg.read_connections = read_connections;
      pg.setting = "DATABASE_URL";
      return pg;
    }
    throw runtime::config_error("DATABASE_URL: must start with postgresql:// or sqlite:///");
  }
  if (const auto host = s.optional_text("DB_HOSTNAME")) {
    storage::postgres_config pg;
    pg.params = {{"host", *host}, {"port", std::to_string(s.integer("DB_PORT", 1, 65535))}};
    if (const auto user = s.optional_text("DB_USER")) pg.params.push_back({"user", *user});
    if (const auto password = s.optional_text("DB_PASSWORD"))
      pg.params.push_back({"password", *password});
    if (const auto db = s.optional_text("DB_DATASET")) pg.params.push_back({"dbname", *db});
    pg.write_connections = write_connections;
    pg.read_connections = read_connections;
    pg.setting = "DB_HOSTNAME";
    return pg;
  }
  return storage::sqlite_config{s.text("DB_PATH"), read_connections};
}

consumer_config read_consumer_config(const runtime::settings& s) {
  consumer_config c;
  const auto secret = s.optional_text("SECRET_KEY");
  if (!secret) throw runtime::config_error("SECRET_KEY: must be set (the HMAC key of the JWTs)");
  c.secret_key = *secret;
  const auto algorithm = s.choice("ALGORITHM", {"HS256", "HS384", "HS512"});
  c.algorithm = *auth::parse_jwt_algorithm(algorithm);

  c.server.host = s.text("HOST");
  c.server.port = static_cast<std::uint16_t>(s.integer("PORT", 0, 65535));
  c.server.threads = static_cast<std::size_t>(s.integer("THREADS", 0, 256));
  c.server.body_limit = static_cast<std::size_t>(s.integer("MAX_BODY_BYTES", 1024, 1LL << 30));
  c.server.read_timeout = std::chrono::seconds{s.integer("READ_TIMEOUT_SECONDS", 1, 3600)};
  c.server.idle_timeout = std::chrono::seconds{s.integer("IDLE_TIMEOUT_SECONDS", 1, 86400)};
  c.server.shutdown_timeout = std::chrono::seconds{s.integer("SHUTDOWN_TIMEOUT_SECONDS", 0, 3600)};

  c.limits.max_payload_bytes =
      static_cast<std::size_t>(s.integer("MAX_PAYLOAD_BYTES", 2, 1LL << 30));
  c.limits.max_batch = static_cast<std::size_t>(s.integer("MAX_BATCH", 1, 1'000'000));
  c.writer.queue_capacity =
      static_cast<std::size_t>(s.integer("WRITE_QUEUE_EVENTS", 1, 100'000'000));

  c.storage = read_storage_config(s);
  if (const auto* pg = std::get_if<storage::postgres_config>(&c.storage))
    c.writer.writers = pg->write_connections;

  const auto logging = runtime::read_log_settings(s);
  c.log_format = logging.format;
  c.log_level = logging.level;
  return c;
}

}  // namespace evs::consumer
