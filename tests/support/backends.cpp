#include "support/backends.hpp"

#include <libpq-fe.h>
#include <mysql.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <utility>

namespace evs::test {
namespace {

struct pg_closer {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
using pg_ptr = std::unique_ptr<PGconn, pg_closer>;

pg_ptr pg_connect(const std::string& conninfo) {
  pg_ptr conn{PQconnectdb(conninfo.c_str())};
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK)
    throw std::runtime_error("cannot connect to the test PostgreSQL server: " +
                             std::string{conn ? PQerrorMessage(conn.get()) : "out of memory"});
  // DROP SCHEMA ... CASCADE lists what it drops; the test output does not need that.
  PQsetNoticeProcessor(
      conn.get(), [](void*, const char*) {}, nullptr);
  return conn;
}

void pg_exec(PGconn* conn, const std::string& sql) {
  std::unique_ptr<PGresult, decltype(&PQclear)> res{PQexec(conn, sql.c_str()), &PQclear};
  const auto status = PQresultStatus(res.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw std::runtime_error(sql + ": " + PQerrorMessage(conn));
}

// Appends a libpq option to a URI or keyword/value connection string.
std::string with_search_path(const std::string& conninfo, const std::string& schema) {
  if (conninfo.starts_with("postgresql://") || conninfo.starts_with("postgres://")) {
    const char separator = conninfo.find('?') == std::string::npos ? '?' : '&';
    return conninfo + separator + "options=-csearch_path%3D" + schema;
  }
  return conninfo + " options='-csearch_path=" + schema + "'";
}

struct mariadb_closer {
  void operator()(MYSQL* c) const noexcept { mysql_close(c); }
};
using mariadb_ptr = std::unique_ptr<MYSQL, mariadb_closer>;

// A connection to the server of `config`, without selecting its database.
mariadb_ptr connect_mariadb(const storage::mariadb_config& config) {
  mariadb_ptr conn{mysql_init(nullptr)};
  if (!conn) throw std::runtime_error("out of memory");
  mysql_optionsv(conn.get(), MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if (mysql_real_connect(conn.get(), config.host.c_str(), config.user.c_str(),
                         config.password.c_str(), nullptr, config.port, nullptr, 0) == nullptr)
    throw std::runtime_error("cannot connect to the test MariaDB/MySQL server: " +
                             std::string{mysql_error(conn.get())});
  return conn;
}

void exec_mariadb(MYSQL* conn, const std::string& sql) {
  if (mysql_real_query(conn, sql.data(), sql.size()) != 0)
    throw std::runtime_error(sql + ": " + mysql_error(conn));
}

std::string unique_schema_name() {
  static std::atomic<unsigned> counter{0};
  return "evs_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
}

}  // namespace

std::string required_env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    const std::string_view variable{name};
    const auto [server, script] =
        variable.starts_with("EVS_TEST_MARIADB") ? std::pair{"MariaDB", "scripts/with-mariadb"}
        : variable.starts_with("EVS_TEST_MYSQL") ? std::pair{"MySQL", "scripts/with-mysql"}
                                                 : std::pair{"PostgreSQL", "scripts/with-postgres"};
    throw std::runtime_error(
        std::string{name} + " is not set: these tests need a " + server +
        " server. Run them through " + script +
        " (as `make test` does), which starts a throwaway server and sets it.");
  }
  return value;
}

test_database::test_database(const backend& b) : config_{b.config()} {
  if (auto* sqlite = std::get_if<storage::sqlite_config>(&config_)) {
    if (sqlite->path.empty()) {
      dir_.emplace("evs-db");
      sqlite->path = (*dir_ / "events.db").string();
    }
    return;
  }
  schema_ = unique_schema_name();
  if (auto* mariadb = std::get_if<storage::mariadb_config>(&config_)) {
    // The test user may create databases named evs_* (scripts/with-mariadb, with-mysql).
    mariadb->database = schema_;
    exec_mariadb(connect_mariadb(*mariadb).get(),
                 "CREATE DATABASE " + schema_ + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    return;
  }
  auto& pg = std::get<storage::postgres_config>(config_);
  auto& url = pg.params.at(0).value;  // the one dbname of postgres_from_url
  admin_conninfo_ = url;
  const auto conn = pg_connect(admin_conninfo_);
  pg_exec(conn.get(), "CREATE SCHEMA " + schema_);
  url = with_search_path(admin_conninfo_, schema_);
}

test_database::~test_database() {
  if (schema_.empty()) return;
  try {
    if (const auto* mariadb = std::get_if<storage::mariadb_config>(&config_)) {
      exec_mariadb(connect_mariadb(*mariadb).get(), "DROP DATABASE IF EXISTS " + schema_);
      return;
    }
    const auto conn = pg_connect(admin_conninfo_);
    pg_exec(conn.get(), "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  } catch (const std::exception&) {
    // A schema left behind is harmless: the server is thrown away after the run.
  }
}

bool test_database::is_sqlite() const {
  return std::holds_alternative<storage::sqlite_config>(config_);
}

std::string test_database::sqlite_path() const {
  const auto* sqlite = std::get_if<storage::sqlite_config>(&config_);
  return sqlite != nullptr ? sqlite->path : std::string{};
}

void test_database::reject_event_type(const std::string& event_type) {
  if (is_sqlite()) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(sqlite_path().c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db{raw, &sqlite3_close};
    if (rc != SQLITE_OK) throw std::runtime_error("cannot open " + sqlite_path());
    sqlite3_busy_timeout(db.get(), 10'000);
    char* quoted = sqlite3_mprintf("%Q", event_type.c_str());
    const std::string sql =
        "CREATE TRIGGER evs_test_reject BEFORE INSERT ON events WHEN NEW.event_type = " +
        std::string{quoted} + " BEGIN SELECT RAISE(ABORT, 'rejected by the test'); END";
    sqlite3_free(quoted);
    char* error = nullptr;
    if (sqlite3_exec(db.get(), sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error != nullptr ? error : "unknown error";
      sqlite3_free(error);
      throw std::runtime_error("cannot create the trigger: " + message);
    }
    return;
  }
  if (const auto* mariadb = std::get_if<storage::mariadb_config>(&config_)) {
    const auto conn = connect_mariadb(*mariadb);
    std::string literal(2 * event_type.size() + 1, '\0');
    literal.resize(
        mysql_real_escape_string(conn.get(), literal.data(), event_type.data(), event_type.size()));
    exec_mariadb(conn.get(), "ALTER TABLE " + schema_ +
                                 ".events ADD CONSTRAINT evs_test_reject CHECK (event_type <> '" +
                                 literal + "')");
    return;
  }
  const auto conn = pg_connect(std::get<storage::postgres_config>(config_).params.at(0).value);
  std::unique_ptr<char, decltype(&PQfreemem)> literal{
      PQescapeLiteral(conn.get(), event_type.c_str(), event_type.size()), &PQfreemem};
  pg_exec(conn.get(), "ALTER TABLE events ADD CONSTRAINT evs_test_reject CHECK (event_type <> " +
                          std::string{literal.get()} + ")");
}

std::vector<core::stored_event> list_all(storage::event_store& store, std::size_t page_size) {
  std::vector<core::stored_event> all;
  core::list_query query;
  query.limit = page_size;
  for (;;) {
    const auto page = store.list(query);
    if (!page) throw std::runtime_error("list failed: " + page.error().message());
    all.insert(all.end(), page->items.begin(), page->items.end());
    if (!page->has_more) return all;
    query.after_id = page->items.back().id;
  }
}

}  // namespace evs::test
