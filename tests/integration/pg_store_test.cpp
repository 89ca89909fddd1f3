// What only the PostgreSQL store has to get right; the shared behaviour is in
// tests/contract/event_store_contract_test.cpp.
#include "storage/postgres/pg_event_store.hpp"
#include "storage/store_factory.hpp"
#include "support/backends.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace evs::test {
namespace {

using namespace std::chrono_literals;

backend postgres_backend() {
  for (auto& b : all_backends())
    if (b.name == "postgres") return b;
  throw std::runtime_error("no postgres backend");
}

std::string conninfo_of(const test_database& db) {
  return std::get<storage::postgres_config>(db.config()).params.at(0).value;
}

storage::postgres_config config_for(std::string conninfo) {
  return storage::postgres_from_url(std::move(conninfo));
}

// The server as DB_* names it, with one setting changed.
std::string keyword_conninfo(const std::string& password, const std::string& dbname,
                             const std::string& port) {
  return "host=" + required_env("DB_HOSTNAME") + " port=" + port +
         " user=" + required_env("DB_USER") + " password=" + password + " dbname=" + dbname;
}

// Adds `-c name=value` to the options of a test database's URI (it already has options for
// its search_path).
std::string with_session_setting(std::string uri, const std::string& name,
                                 const std::string& value) {
  const std::string setting = "-c" + name + "%3D" + value;
  const auto at = uri.find("options=");
  if (at == std::string::npos)
    return uri + (uri.find('?') == std::string::npos ? "?" : "&") + "options=" + setting;
  uri.insert(at + 8, setting + "%20");
  return uri;
}

class admin_connection {
 public:
  explicit admin_connection(const std::string& conninfo) : conn_{PQconnectdb(conninfo.c_str())} {
    if (PQstatus(conn_) != CONNECTION_OK)
      throw std::runtime_error(std::string{"admin connection: "} + PQerrorMessage(conn_));
  }
  ~admin_connection() { PQfinish(conn_); }
  admin_connection(const admin_connection&) = delete;
  admin_connection& operator=(const admin_connection&) = delete;

  // The first column of the first row, as text.
  std::string scalar(const char* sql, const std::vector<std::string>& parameters = {}) {
    std::vector<const char*> values;
    for (const auto& p : parameters) values.push_back(p.c_str());
    PGresult* res = PQexecParams(conn_, sql, static_cast<int>(values.size()), nullptr,
                                 values.data(), nullptr, nullptr, 0);
    std::string value;
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0) value = PQgetvalue(res, 0, 0);
    const std::string error = PQresultErrorMessage(res);
    PQclear(res);
    if (!error.empty()) throw std::runtime_error(error);
    return value;
  }

 private:
  PGconn* conn_;
};

std::string startup_error(const storage::postgres_config& config) {
  try {
    storage::postgres::pg_event_store store{config};
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

core::new_event make_event(std::string event_id, std::string type = "pg.test",
                           std::string payload = "{}") {
  return {std::move(event_id), std::move(type), std::move(payload), std::nullopt, 42};
}

TEST(PostgresStore, BadPasswordFailsStartupWithAOneLineMessage) {
  const auto message = startup_error(config_for(
      keyword_conninfo("not-the-password", required_env("DB_DATASET"), required_env("DB_PORT"))));
  EXPECT_NE(message.find("DB_HOSTNAME"), std::string::npos) << message;
  EXPECT_NE(message.find("password authentication failed"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_EQ(message.find(required_env("DB_PASSWORD")), std::string::npos);
}

// Sets the test user's password for the lifetime of the object (the test server lets a user
// change its own password, not create roles), and puts DB_PASSWORD back afterwards.
class password_change {
 public:
  password_change(admin_connection& admin, const std::string& password) : admin_{admin} {
    set(password);
  }
  ~password_change() {
    try {
      set(required_env("DB_PASSWORD"));
    } catch (const std::exception&) {
      // Nothing to do: the next connection attempt will say what went wrong.
    }
  }
  password_change(const password_change&) = delete;
  password_change& operator=(const password_change&) = delete;

 private:
  void set(const std::string& password) {
    admin_.scalar(admin_
                      .scalar("SELECT format('ALTER ROLE %I PASSWORD %L', current_user, $1::text)",
                              {password})
                      .c_str());
  }
  admin_connection& admin_;
};

// Keyword/value parameters reach the server as they are: no quoting to get wrong.
TEST(PostgresStore, PasswordWithSpacesQuotesAndBackslashesConnects) {
  test_database db{postgres_backend()};
  admin_connection admin{conninfo_of(db)};
  const std::string password = R"(it's a "pass" word\ with = signs \' and 'quotes')";
  storage::postgres::connect_options options;
  options.params = {{"host", required_env("DB_HOSTNAME")},
                    {"port", required_env("DB_PORT")},
                    {"user", required_env("DB_USER")},
                    {"password", password},
                    {"dbname", required_env("DB_DATASET")}};
  std::string error;
  {
    const password_change changed{admin, password};
    try {
      const storage::postgres::connection conn{options};
    } catch (const std::exception& e) {
      error = e.what();
    }
    options.params[3].value = "it's a";
    EXPECT_THROW(storage::postgres::connection{options}, storage::postgres::pg_error)
        << "the server checks the password, so the first connection proved it arrived whole";
  }
  EXPECT_EQ(error, "");
}

TEST(PostgresStore, UnknownDatabaseFailsStartup) {
  const auto message = startup_error(config_for(
      keyword_conninfo(required_env("DB_PASSWORD"), "no_such_database", required_env("DB_PORT"))));
  EXPECT_NE(message.find("\"no_such_database\" does not exist"), std::string::npos) << message;
}

TEST(PostgresStore, UnreachableServerFailsStartupInBoundedTime) {
  const auto started = std::chrono::steady_clock::now();
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  const auto message = startup_error(
      config_for(keyword_conninfo(required_env("DB_PASSWORD"), required_env("DB_DATASET"), "1")));
  EXPECT_NE(message.find("cannot connect to PostgreSQL"), std::string::npos) << message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
}

TEST(PostgresStore, ConsumersStartingAtOnceMigrateOnce) {
  test_database db{postgres_backend()};
  std::atomic<int> failures{0};
  std::vector<std::thread> starts;
  for (int i = 0; i < 4; ++i) {
    starts.emplace_back([&] {
      try {
        storage::postgres::pg_event_store store{config_for(conninfo_of(db))};
      } catch (const std::exception& e) {
        ++failures;
        ADD_FAILURE() << e.what();
      }
    });
  }
  for (auto& s : starts) s.join();
  EXPECT_EQ(failures, 0);
  admin_connection admin{conninfo_of(db)};
  EXPECT_EQ(admin.scalar("SELECT count(*) FROM schema_version"), "1");
}

TEST(PostgresStore, TextSurvivesTheArrayEncodingByteForByte) {
  test_database db{postgres_backend()};
  const auto store = storage::open_event_store(db.config());
  const std::vector<std::string> tricky = {R"("quoted \" and \\ backslash")",
                                           "NULL",
                                           "null",
                                           "{a,b}",
                                           " spaced ",
                                           "comma,separated",
                                           "naïve ünïcödé ✓ 😀",
                                           R"({"nested":{"a":[1,"}",null]},"s":"\u0000\n\t"})",
                                           "'single'"};
  std::vector<core::new_event> events;
  for (std::size_t i = 0; i < tricky.size(); ++i) {
    auto e = make_event("id-" + tricky[i], "type-" + tricky[i], tricky[i]);
    e.occurred_at = tricky[i];
    events.push_back(std::move(e));
  }
  events.push_back(make_event("big", "big", "\"" + std::string(64 * 1024, 'x') + "\""));
  const auto outcome = store->insert(events);
  ASSERT_TRUE(outcome) << outcome.error().message();
  for (std::size_t i = 0; i < events.size(); ++i) {
    ASSERT_TRUE((*outcome)[i]);
    const auto stored = store->get(*(*outcome)[i]);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->event_id, events[i].event_id);
    EXPECT_EQ(stored->event_type, events[i].event_type);
    EXPECT_EQ(stored->payload_json, events[i].payload_json);
    EXPECT_EQ(stored->occurred_at, events[i].occurred_at);
    EXPECT_EQ(stored->received_at_us, 42);
  }
}

TEST(PostgresStore, ReadOnlyServerIsReachableButNotReady) {
  test_database db{postgres_backend()};
  const auto writable = storage::open_event_store(db.config());  // creates the schema
  ASSERT_TRUE(writable->insert(std::vector{make_event("before")}));

  const auto read_only = storage::open_event_store(
      config_for(with_session_setting(conninfo_of(db), "default_transaction_read_only", "on")));
  const auto ping = read_only->ping();
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error(), errc::storage_unavailable);
  const auto insert = read_only->insert(std::vector{make_event("after")});
  ASSERT_FALSE(insert);
  EXPECT_EQ(insert.error(), errc::storage_unavailable);
  EXPECT_TRUE(read_only->get_by_event_id("before"));
}

TEST(PostgresStore, TextWithNulIsRefusedAndNothingIsStored) {
  test_database db{postgres_backend()};
  const auto store = storage::open_event_store(db.config());
  const auto outcome =
      store->insert(std::vector{make_event("fine"), make_event("nul", std::string("a\0b", 3))});
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error(), errc::storage_failure);
  EXPECT_EQ(store->get_by_event_id("fine").error(), errc::not_found);
}

TEST(PostgresStore, ConnectionsKilledByTheServerAreReplacedWithoutFailedCalls) {
  test_database db{postgres_backend()};
  const std::string name =
      "evs_kill_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed());
  const auto store =
      storage::open_event_store(config_for(conninfo_of(db) + "&application_name=" + name));
  ASSERT_TRUE(store->insert(std::vector{make_event("one")}));
  ASSERT_TRUE(store->get_by_event_id("one"));

  admin_connection admin{conninfo_of(db)};
  EXPECT_NE(admin.scalar("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                         "WHERE application_name = $1",
                         {name}),
            "0");
  ASSERT_TRUE(eventually([&] {
    return admin.scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
                        {name}) == "0";
  }));

  // The pooled connections are dead. Reads retry on a new connection, so they never fail.
  const auto read = store->get_by_event_id("one");
  EXPECT_TRUE(read) << read.error().message();
  EXPECT_TRUE(store->ping());
  // The store notices a closed connection before sending an insert on it. One that dies under
  // the insert (the backend had not closed its socket yet) must fail: whether the server ran
  // the statement is unknown, so it is the client's retry with the same event_id that decides.
  auto inserted = store->insert(std::vector{make_event("two")});
  if (!inserted) {
    EXPECT_EQ(inserted.error(), errc::storage_unavailable);
    inserted = store->insert(std::vector{make_event("two")});
  }
  EXPECT_TRUE(inserted) << inserted.error().message();
}

TEST(PostgresStore, WritersFollowTheConfiguration) {
  test_database db{postgres_backend()};
  auto config = std::get<storage::postgres_config>(db.config());
  config.write_connections = 3;
  EXPECT_EQ(storage::open_event_store(config)->max_concurrent_writers(), 3U);
}

}  // namespace
}  // namespace evs::test
