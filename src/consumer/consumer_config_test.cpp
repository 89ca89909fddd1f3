#include "consumer/consumer_config.hpp"
#include "support/env_guard.hpp"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace evs::consumer {
namespace {

// Every key the consumer reads: cleared for each test, restored afterwards.
const std::vector<std::string> consumer_keys{"SECRET_KEY",
                                             "ALGORITHM",
                                             "JWT_AUDIENCE",
                                             "JWT_ISSUER",
                                             "HOST",
                                             "PORT",
                                             "THREADS",
                                             "MAX_CONNECTIONS",
                                             "DATABASE_URL",
                                             "DB_HOSTNAME",
                                             "DB_DRIVER",
                                             "DB_PORT",
                                             "DB_USER",
                                             "DB_PASSWORD",
                                             "DB_DATASET",
                                             "DB_PATH",
                                             "DB_WRITE_CONNECTIONS",
                                             "DB_READ_CONNECTIONS",
                                             "DB_TIMEOUT_SECONDS",
                                             "DB_READ_URL",
                                             "MAX_BODY_BYTES",
                                             "MAX_PAYLOAD_BYTES",
                                             "MAX_BATCH",
                                             "WRITE_QUEUE_EVENTS",
                                             "READ_TIMEOUT_SECONDS",
                                             "IDLE_TIMEOUT_SECONDS",
                                             "SHUTDOWN_TIMEOUT_SECONDS",
                                             "METRICS",
                                             "ADMIN_PORT",
                                             "LOG_FORMAT",
                                             "LOG_LEVEL",
                                             "INGEST",
                                             "NATS_URL",
                                             "NATS_STREAM",
                                             "NATS_SUBJECT",
                                             "NATS_REPLICAS",
                                             "NATS_DUPLICATE_WINDOW",
                                             "NATS_TIMEOUT_SECONDS"};

class ConsumerConfigTest : public ::testing::Test {
 protected:
  // Declares the consumer's keys and parses `args` as flags; the environment is read too.
  consumer_config read(const std::vector<std::string>& args) {
    CLI::App app{"event-consumer"};
    runtime::settings s{app};
    declare_consumer_settings(s);
    std::vector<const char*> argv{"event-consumer"};
    for (const auto& a : args) argv.push_back(a.c_str());
    app.parse(static_cast<int>(argv.size()), argv.data());
    return read_consumer_config(s);
  }

  // The config_error message of reading `args`, or a note that none was thrown.
  std::string error_of(const std::vector<std::string>& args) {
    try {
      read(args);
    } catch (const runtime::config_error& e) {
      return e.what();
    }
    return "(no config_error)";
  }

  const test::env_guard guard_{consumer_keys};
};

// The keyword/value pairs handed to PQconnectdbParams; a repeated keyword keeps its last value,
// as in libpq.
std::map<std::string, std::string> params_of(const storage::postgres_config& pg) {
  std::map<std::string, std::string> out;
  for (const auto& p : pg.params) out[p.keyword] = p.value;
  return out;
}

TEST_F(ConsumerConfigTest, SecretKeyIsRequired) {
  const auto msg = error_of({});
  EXPECT_EQ(msg.rfind("SECRET_KEY", 0), 0u) << "the message starts with the key: " << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line";
}

TEST_F(ConsumerConfigTest, EmptySecretKeyCountsAsMissing) {
  ::setenv("SECRET_KEY", "", 1);
  EXPECT_NE(error_of({}).find("SECRET_KEY"), std::string::npos);
}

TEST_F(ConsumerConfigTest, DefaultsFollowTheContract) {
  ::setenv("SECRET_KEY", "s3cret-0123456789abcdef0123456789abcdef", 1);
  const auto c = read({});
  EXPECT_EQ(c.secret_key, "s3cret-0123456789abcdef0123456789abcdef");
  EXPECT_EQ(c.algorithm, auth::jwt_algorithm::hs256);
  EXPECT_EQ(c.server.host, "127.0.0.1");
  EXPECT_EQ(c.server.port, 8000);
  EXPECT_EQ(c.limits.max_payload_bytes, 64u * 1024u);
  EXPECT_EQ(c.limits.max_batch, 1000u);
  EXPECT_EQ(c.server.body_limit, 1024u * 1024u);
  EXPECT_EQ(c.log_format, log::format::text);
  const auto* sqlite = std::get_if<storage::sqlite_config>(&c.storage);
  ASSERT_NE(sqlite, nullptr) << "without DB_HOSTNAME the embedded SQLite store is used";
  EXPECT_EQ(sqlite->path, "./data/events.db");
}

TEST_F(ConsumerConfigTest, DefaultConfigIsWhatReadingNothingGives) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  const auto read_config = read({});
  const auto d = default_consumer_config();
  EXPECT_EQ(d.server.host, read_config.server.host);
  EXPECT_EQ(d.server.port, read_config.server.port);
  EXPECT_EQ(d.server.threads, read_config.server.threads);
  EXPECT_EQ(d.server.body_limit, read_config.server.body_limit);
  EXPECT_EQ(d.server.read_timeout, read_config.server.read_timeout);
  EXPECT_EQ(d.server.idle_timeout, read_config.server.idle_timeout);
  EXPECT_EQ(d.server.shutdown_timeout, read_config.server.shutdown_timeout);
  EXPECT_EQ(d.limits.max_payload_bytes, read_config.limits.max_payload_bytes);
  EXPECT_EQ(d.limits.max_batch, read_config.limits.max_batch);
  EXPECT_EQ(d.writer.queue_capacity, read_config.writer.queue_capacity);
  EXPECT_EQ(d.algorithm, read_config.algorithm);
  EXPECT_EQ(d.log_level, read_config.log_level);
  ASSERT_TRUE(std::holds_alternative<storage::sqlite_config>(d.storage));
  EXPECT_EQ(std::get<storage::sqlite_config>(d.storage).path, "./data/events.db");
}

TEST_F(ConsumerConfigTest, EveryKeyIsOneRowOfTheTable) {
  std::vector<std::string> keys;
  for (const auto& row : consumer_settings()) keys.emplace_back(row.spec.key);
  std::sort(keys.begin(), keys.end());
  auto expected = consumer_keys;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(keys, expected);
}

TEST_F(ConsumerConfigTest, FlagsOverrideTheEnvironment) {
  ::setenv("SECRET_KEY", "from-env-0123456789abcdef0123456789abcdef", 1);
  ::setenv("PORT", "9000", 1);
  ::setenv("HOST", "0.0.0.0", 1);
  const auto c =
      read({"--secret-key", "from-flag-0123456789abcdef0123456789abcdef", "--port", "9001"});
  EXPECT_EQ(c.secret_key, "from-flag-0123456789abcdef0123456789abcdef");
  EXPECT_EQ(c.server.port, 9001);
  EXPECT_EQ(c.server.host, "0.0.0.0") << "the environment still fills what no flag gives";
}

TEST_F(ConsumerConfigTest, AlgorithmChoices) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  EXPECT_EQ(read({"--algorithm", "HS384"}).algorithm, auth::jwt_algorithm::hs384);
  EXPECT_EQ(read({"--algorithm", "HS512"}).algorithm, auth::jwt_algorithm::hs512);
  EXPECT_EQ(read({"--algorithm", "hs512"}).algorithm, auth::jwt_algorithm::hs512);
}

TEST_F(ConsumerConfigTest, InvalidAlgorithmNamesTheKey) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  for (const char* bad : {"RS256", "none", "HS1024", "HS256 "}) {
    ::setenv("ALGORITHM", bad, 1);
    const auto msg = error_of({});
    EXPECT_EQ(msg.rfind("ALGORITHM", 0), 0u) << bad << ": " << msg;
  }
}

TEST_F(ConsumerConfigTest, PortMustBeInRange) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  EXPECT_EQ(read({"--port", "0"}).server.port, 0) << "0: any free port";
  EXPECT_EQ(read({"--port", "65535"}).server.port, 65535);
  for (const char* bad : {"65536", "70000", "-1", "http", "80.5"}) {
    ::setenv("PORT", bad, 1);
    const auto msg = error_of({});
    EXPECT_EQ(msg.rfind("PORT", 0), 0u) << bad << ": " << msg;
  }
}

TEST_F(ConsumerConfigTest, OtherIntegerSettingsNameTheirKey) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  const std::map<std::string, std::string> bad{{"MAX_BATCH", "0"},
                                               {"MAX_PAYLOAD_BYTES", "lots"},
                                               {"WRITE_QUEUE_EVENTS", "0"},
                                               {"READ_TIMEOUT_SECONDS", "0"},
                                               {"THREADS", "-2"}};
  for (const auto& [key, value] : bad) {
    ::setenv(key.c_str(), value.c_str(), 1);
    const auto msg = error_of({});
    EXPECT_EQ(msg.rfind(key, 0), 0u) << key << "=" << value << ": " << msg;
    ::unsetenv(key.c_str());
  }
}

TEST_F(ConsumerConfigTest, LimitsAreRead) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  ::setenv("MAX_PAYLOAD_BYTES", "1024", 1);
  ::setenv("MAX_BATCH", "10", 1);
  ::setenv("WRITE_QUEUE_EVENTS", "500", 1);
  const auto c = read({});
  EXPECT_EQ(c.limits.max_payload_bytes, 1024u);
  EXPECT_EQ(c.limits.max_batch, 10u);
  EXPECT_EQ(c.writer.queue_capacity, 500u);
}

TEST_F(ConsumerConfigTest, LogFormatAndLevel) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  ::setenv("LOG_FORMAT", "json", 1);
  ::setenv("LOG_LEVEL", "debug", 1);
  const auto c = read({});
  EXPECT_EQ(c.log_format, log::format::json);
  EXPECT_EQ(c.log_level, log::level::debug);
  ::setenv("LOG_FORMAT", "xml", 1);
  EXPECT_EQ(error_of({}).rfind("LOG_FORMAT", 0), 0u);
}

TEST_F(ConsumerConfigTest, MetricsArePublicUnlessTurnedOff) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  EXPECT_TRUE(read({}).serve_metrics);
  EXPECT_TRUE(default_consumer_config().serve_metrics);
  ::setenv("METRICS", "OFF", 1);  // choices are read case-insensitively
  EXPECT_FALSE(read({}).serve_metrics);
  ::setenv("METRICS", "private", 1);
  EXPECT_EQ(error_of({}).rfind("METRICS", 0), 0u);
}

TEST_F(ConsumerConfigTest, AdminPortIsOffByDefaultAndMustDifferFromPort) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  EXPECT_EQ(read({}).admin_port, 0u);
  ::setenv("ADMIN_PORT", "9100", 1);
  EXPECT_EQ(read({}).admin_port, 9100u);
  ::setenv("PORT", "9100", 1);
  EXPECT_EQ(error_of({}).rfind("ADMIN_PORT", 0), 0u);
}

TEST_F(ConsumerConfigTest, DbPathChoosesTheSqliteFile) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  ::setenv("DB_PATH", "/var/lib/evs/e.db", 1);
  const auto c = read({});
  const auto* sqlite = std::get_if<storage::sqlite_config>(&c.storage);
  ASSERT_NE(sqlite, nullptr);
  EXPECT_EQ(sqlite->path, "/var/lib/evs/e.db");
}

TEST_F(ConsumerConfigTest, SqliteDatabaseUrl) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  ::setenv("DATABASE_URL", "sqlite:///x.db", 1);
  auto c = read({});
  auto* sqlite = std::get_if<storage::sqlite_config>(&c.storage);
  ASSERT_NE(sqlite, nullptr);
  EXPECT_EQ(sqlite->path, "x.db");

  // Four slashes: an absolute path, as in SQLAlchemy URLs.
  ::setenv("DATABASE_URL", "sqlite:////tmp/events/x.db", 1);
  c = read({});
  sqlite = std::get_if<storage::sqlite_config>(&c.storage);
  ASSERT_NE(sqlite, nullptr);
  EXPECT_EQ(sqlite->path, "/tmp/events/x.db");
}

TEST_F(ConsumerConfigTest, SqliteDatabaseUrlNeedsAPath) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  ::setenv("DATABASE_URL", "sqlite:///", 1);
  EXPECT_EQ(error_of({}).rfind("DATABASE_URL", 0), 0u);
}

TEST_F(ConsumerConfigTest, PostgresDatabaseUrlIsPassedThrough) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  for (const char* url :
       {"postgresql://evs:pw@db.example:5433/events", "postgres://evs@localhost/events"}) {
    ::setenv("DATABASE_URL", url, 1);
    const auto c = read({});
    const auto* pg = std::get_if<storage::postgres_config>(&c.storage);
    ASSERT_NE(pg, nullptr) << url;
    EXPECT_EQ(params_of(*pg), (std::map<std::string, std::string>{{"dbname", url}}));
    EXPECT_TRUE(pg->expand_dbname) << "libpq expands the URL given as dbname";
    EXPECT_EQ(pg->setting, "DATABASE_URL") << "named in start-up errors";
  }
}

TEST_F(ConsumerConfigTest, UnknownDatabaseUrlSchemeNamesTheKey) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  ::setenv("DATABASE_URL", "oracle://u@h/db", 1);
  EXPECT_EQ(error_of({}).rfind("DATABASE_URL", 0), 0u);
}

TEST_F(ConsumerConfigTest, MysqlDatabaseUrlMakesAMariadbStore) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  ::setenv("DB_WRITE_CONNECTIONS", "3", 1);
  ::setenv("DB_TIMEOUT_SECONDS", "4", 1);
  for (const char* url : {"mysql://evs:p%40ss@db.example:3307/events",
                          "mariadb://evs:p%40ss@db.example:3307/events"}) {
    ::setenv("DATABASE_URL", url, 1);
    const auto c = read({});
    const auto* mariadb = std::get_if<storage::mariadb_config>(&c.storage);
    ASSERT_NE(mariadb, nullptr) << url;
    EXPECT_EQ(mariadb->host, "db.example");
    EXPECT_EQ(mariadb->port, 3307);
    EXPECT_EQ(mariadb->user, "evs");
    EXPECT_EQ(mariadb->password, "p@ss");
    EXPECT_EQ(mariadb->database, "events");
    EXPECT_EQ(mariadb->write_connections, 3u);
    EXPECT_EQ(mariadb->timeout, std::chrono::seconds{4});
    EXPECT_EQ(c.writer.writers, 3u) << "one committing writer per write connection";
    EXPECT_EQ(mariadb->setting, "DATABASE_URL") << "named in start-up errors";
  }
}

TEST_F(ConsumerConfigTest, MalformedMysqlDatabaseUrlNamesTheKey) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  ::setenv("DATABASE_URL", "mysql://u@h:notaport/db", 1);
  EXPECT_EQ(error_of({}).rfind("DATABASE_URL", 0), 0u);
}

TEST_F(ConsumerConfigTest, DbDriverMysqlReadsTheOriginalKeysWithAPortInDbHostname) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  ::setenv("DB_DRIVER", "mysql", 1);
  ::setenv("DB_HOSTNAME", "db.internal:3307", 1);
  ::setenv("DB_USER", "events", 1);
  ::setenv("DB_PASSWORD", "it's \"quoted\"", 1);
  ::setenv("DB_DATASET", "eventsdb", 1);
  const auto c = read({});
  const auto* mariadb = std::get_if<storage::mariadb_config>(&c.storage);
  ASSERT_NE(mariadb, nullptr);
  EXPECT_EQ(mariadb->host, "db.internal");
  EXPECT_EQ(mariadb->port, 3307) << "the port DB_HOSTNAME carries";
  EXPECT_EQ(mariadb->user, "events");
  EXPECT_EQ(mariadb->password, "it's \"quoted\"");
  EXPECT_EQ(mariadb->database, "eventsdb");
  EXPECT_EQ(mariadb->setting, "DB_HOSTNAME") << "named in start-up errors";
}

TEST_F(ConsumerConfigTest, DbDriverMysqlDefaultsToPort3306AndTakesDbPort) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  ::setenv("DB_DRIVER", "mariadb", 1);
  ::setenv("DB_HOSTNAME", "db.internal", 1);
  auto c = read({});
  auto* mariadb = std::get_if<storage::mariadb_config>(&c.storage);
  ASSERT_NE(mariadb, nullptr);
  EXPECT_EQ(mariadb->port, 3306);
  ::setenv("DB_PORT", "3310", 1);
  c = read({});
  mariadb = std::get_if<storage::mariadb_config>(&c.storage);
  ASSERT_NE(mariadb, nullptr);
  EXPECT_EQ(mariadb->port, 3310);
}

TEST_F(ConsumerConfigTest, SeveralDbPortsAreRefusedForMariadb) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  ::setenv("DB_DRIVER", "mysql", 1);
  ::setenv("DB_HOSTNAME", "db.internal", 1);
  ::setenv("DB_PORT", "3306,3307", 1);
  EXPECT_EQ(error_of({}).rfind("DB_PORT", 0), 0u);
}

TEST_F(ConsumerConfigTest, BadPortInDbHostnameNamesTheKey) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  ::setenv("DB_DRIVER", "mysql", 1);
  ::setenv("DB_HOSTNAME", "db.internal:99999", 1);
  EXPECT_EQ(error_of({}).rfind("DB_HOSTNAME", 0), 0u);
}

TEST_F(ConsumerConfigTest, DbHostnameWithoutDbDriverStaysPostgres) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  ::setenv("DB_HOSTNAME", "db.internal", 1);
  const auto c = read({});
  EXPECT_NE(std::get_if<storage::postgres_config>(&c.storage), nullptr);
}

TEST_F(ConsumerConfigTest, DbHostnameMakesPostgresConnectionParameters) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  ::setenv("DB_HOSTNAME", "db.internal", 1);
  ::setenv("DB_PORT", "6543", 1);
  ::setenv("DB_USER", "events", 1);
  ::setenv("DB_PASSWORD", "pa55", 1);
  ::setenv("DB_DATASET", "eventsdb", 1);
  ::setenv("DB_WRITE_CONNECTIONS", "3", 1);
  ::setenv("DB_TIMEOUT_SECONDS", "4", 1);
  const auto c = read({});
  const auto* pg = std::get_if<storage::postgres_config>(&c.storage);
  ASSERT_NE(pg, nullptr);
  EXPECT_FALSE(pg->expand_dbname) << "DB_DATASET is a database name, never a connection string";
  const auto parsed = params_of(*pg);
  EXPECT_EQ(parsed.at("host"), "db.internal");
  EXPECT_EQ(parsed.at("port"), "6543");
  EXPECT_EQ(parsed.at("user"), "events");
  EXPECT_EQ(parsed.at("password"), "pa55");
  EXPECT_EQ(parsed.at("dbname"), "eventsdb");
  EXPECT_EQ(pg->write_connections, 3u);
  EXPECT_EQ(pg->timeout, std::chrono::seconds{4});
  EXPECT_EQ(c.writer.writers, 3u) << "one committing writer per write connection";
  EXPECT_EQ(pg->setting, "DB_HOSTNAME") << "named in start-up errors";
}

TEST_F(ConsumerConfigTest, PasswordWithQuotesSpacesAndBackslashesArrivesAsItIs) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  ::setenv("DB_HOSTNAME", "localhost", 1);
  const std::string password = R"(it's a "pass" word\ with = signs)";
  ::setenv("DB_PASSWORD", password.c_str(), 1);
  ::setenv("DB_USER", "o'brien", 1);
  const auto c = read({});
  const auto* pg = std::get_if<storage::postgres_config>(&c.storage);
  ASSERT_NE(pg, nullptr);
  const auto parsed = params_of(*pg);
  EXPECT_EQ(parsed.at("password"), password);
  EXPECT_EQ(parsed.at("user"), "o'brien");
  EXPECT_EQ(parsed.at("host"), "localhost");
  EXPECT_EQ(parsed.at("port"), "5432") << "DB_PORT defaults to 5432";
}

TEST_F(ConsumerConfigTest, ConnectionCannotBeExtendedThroughAValue) {
  // A value that looks like more keywords stays one value.
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  ::setenv("DB_HOSTNAME", "localhost", 1);
  ::setenv("DB_DATASET", "db' sslmode='disable", 1);
  const auto c = read({});
  const auto* pg = std::get_if<storage::postgres_config>(&c.storage);
  ASSERT_NE(pg, nullptr);
  EXPECT_FALSE(pg->expand_dbname) << "libpq would read a dbname with '=' as more keywords";
  const auto parsed = params_of(*pg);
  EXPECT_EQ(parsed.at("dbname"), "db' sslmode='disable");
  EXPECT_EQ(parsed.count("sslmode"), 0u);
}

TEST_F(ConsumerConfigTest, DbPortIsValidated) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  ::setenv("DB_HOSTNAME", "localhost", 1);
  ::setenv("DB_PORT", "99999", 1);
  EXPECT_EQ(error_of({}).rfind("DB_PORT", 0), 0u);
}

TEST_F(ConsumerConfigTest, SeveralDbHostnamesFollowThePrimary) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  ::setenv("DB_HOSTNAME", "pg-a.internal,pg-b.internal", 1);
  ::setenv("DB_PORT", "5432,5433", 1);
  const auto c = read({});
  const auto* pg = std::get_if<storage::postgres_config>(&c.storage);
  ASSERT_NE(pg, nullptr);
  const auto parsed = params_of(*pg);
  EXPECT_EQ(parsed.at("host"), "pg-a.internal,pg-b.internal");
  EXPECT_EQ(parsed.at("port"), "5432,5433");
  EXPECT_EQ(parsed.at("target_session_attrs"), "read-write")
      << "a connection must skip the standby and land on the primary";

  ::setenv("DB_PORT", "5432,5433,5434", 1);
  EXPECT_EQ(error_of({}).rfind("DB_PORT", 0), 0u) << "three ports for two hosts";
  ::setenv("DB_PORT", "5432,", 1);
  EXPECT_EQ(error_of({}).rfind("DB_PORT", 0), 0u);
}

TEST_F(ConsumerConfigTest, DatabaseUrlWithSeveralHostsAsksForThePrimaryUnlessItSaysOtherwise) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  const std::string url = "postgresql://evs:pw@10.0.0.1:5432,10.0.0.2:5433/events";
  ::setenv("DATABASE_URL", url.c_str(), 1);
  const auto c = read({});
  const auto* pg = std::get_if<storage::postgres_config>(&c.storage);
  ASSERT_NE(pg, nullptr);
  ASSERT_EQ(pg->params.size(), 2U);
  // libpq lets the expanded URL override keywords before it, so the URL's own choice wins.
  EXPECT_EQ(pg->params[0].keyword, "target_session_attrs");
  EXPECT_EQ(pg->params[0].value, "read-write");
  EXPECT_EQ(pg->params[1].keyword, "dbname");
  EXPECT_EQ(pg->params[1].value, url);
  EXPECT_TRUE(pg->expand_dbname);
}

TEST_F(ConsumerConfigTest, DbReadUrlGoesWithPostgresOnly) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  const std::string standby = "postgresql://evs:pw@standby.internal:5432/events";
  ::setenv("DB_READ_URL", standby.c_str(), 1);
  EXPECT_EQ(error_of({}).rfind("DB_READ_URL", 0), 0u) << "SQLite has no standby to read from";

  ::setenv("DB_HOSTNAME", "primary.internal", 1);
  const auto c = read({});
  const auto* pg = std::get_if<storage::postgres_config>(&c.storage);
  ASSERT_NE(pg, nullptr);
  EXPECT_EQ(pg->read_url, standby);
  EXPECT_EQ(params_of(*pg).at("host"), "primary.internal") << "writes still go to the primary";

  ::setenv("DB_READ_URL", "standby.internal:5432", 1);
  EXPECT_EQ(error_of({}).rfind("DB_READ_URL", 0), 0u);
}

TEST_F(ConsumerConfigTest, WithoutDbHostnameTheOtherDbKeysDoNotSwitchToPostgres) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  ::setenv("DB_USER", "someone", 1);
  ::setenv("DB_PASSWORD", "pw", 1);
  const auto c = read({});
  EXPECT_TRUE(std::holds_alternative<storage::sqlite_config>(c.storage));
  EXPECT_EQ(c.writer.writers, 1u);
}

TEST_F(ConsumerConfigTest, IngestIsTheDatabaseUnlessJetstreamIsAsked) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  const auto database = read({});
  EXPECT_FALSE(database.ingest_jetstream);
  EXPECT_EQ(database.nats.replicas, 3);

  ::setenv("INGEST", "jetstream", 1);
  ::setenv("NATS_URL", "nats://a:4222,nats://b:4223", 1);
  ::setenv("NATS_REPLICAS", "1", 1);
  ::setenv("NATS_DUPLICATE_WINDOW", "30", 1);
  const auto c = read({"--nats-stream", "EV2"});
  EXPECT_TRUE(c.ingest_jetstream);
  EXPECT_EQ(c.nats.servers, (std::vector<std::string>{"nats://a:4222", "nats://b:4223"}));
  EXPECT_EQ(c.nats.stream, "EV2");
  EXPECT_EQ(c.nats.replicas, 1);
  EXPECT_EQ(c.nats.duplicate_window, std::chrono::seconds{30});
  // Reads still go to the database the loader fills.
  EXPECT_TRUE(std::holds_alternative<storage::sqlite_config>(c.storage));
}

TEST_F(ConsumerConfigTest, BadNatsKeysAreNamed) {
  ::setenv("SECRET_KEY", "k-0123456789abcdef0123456789abcdef", 1);
  EXPECT_EQ(error_of({"--nats-url", "http://x:4222"}).rfind("NATS_URL", 0), 0u);
  EXPECT_EQ(error_of({"--nats-stream", "a.b"}).rfind("NATS_STREAM", 0), 0u);
  EXPECT_EQ(error_of({"--nats-replicas", "7"}).rfind("NATS_REPLICAS", 0), 0u);
  EXPECT_EQ(error_of({"--ingest", "kafka"}).rfind("INGEST", 0), 0u);
}

}  // namespace
}  // namespace evs::consumer
