// The real event-consumer binary on PostgreSQL: the server stops under concurrent HTTP load
// and starts again (503s with Retry-After meanwhile, writes succeed again without restarting
// the consumer), kill -9 under load and a restart on the same database, and start-up with a
// wrong password or an unknown database (exit code 2, one line naming the setting).
#include "http_writers.hpp"
#include "pg_control.hpp"
#include "support/backends.hpp"
#include "support/consumer_process.hpp"
#include "support/http_client.hpp"
#include "support/metrics_scrape.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/tokens.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace evs::test {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

backend postgres_backend() {
  for (auto& b : all_backends())
    if (b.name == "postgres") return b;
  throw std::runtime_error("no postgres backend");
}

std::string postgres_url(const test_database& db) {
  return std::get<storage::postgres_config>(db.config()).params.at(0).value;
}

// Four write connections and `settings`, on top of consumer_environment() (which drops the
// DB_* settings scripts/with-postgres exports, so only what a test sets decides where the
// consumer stores events).
env_settings postgres_settings(const env_settings& settings) {
  env_settings all{{"DB_WRITE_CONNECTIONS", "4"}};
  for (const auto& [key, value] : settings) set_env(all, key, value);
  return all;
}

// One run of event-consumer on a free port of 127.0.0.1, its log in a file.
consumer_process start_consumer(const temp_dir& dir, const std::string& database_url, int run) {
  return consumer_process{EVS_CONSUMER_BINARY, dir / ("consumer-" + std::to_string(run) + ".log"),
                          postgres_settings({{"DATABASE_URL", database_url}})};
}

TEST(PostgresConsumerProcess, OutageMidLoadAnswers503AndRecoversWithoutARestart) {
  const pg_control server;
  const pg_restart_guard guard{server};
  ASSERT_TRUE(server.running()) << "the PostgreSQL server of scripts/with-postgres is not running";
  test_database db{postgres_backend()};
  temp_dir dir{"evs-pg-outage-http"};
  auto consumer = start_consumer(dir, postgres_url(db), 0);
  const auto port = consumer.wait_listening(60s);
  const auto token = make_token();
  const std::string event_type = "outage.http";

  http_writers writers{port, 4, "outage", event_type, false};
  auto& log = writers.log();
  ASSERT_TRUE(eventually([&] { return log.acknowledged_batches >= 500; }, 60s))
      << "the load did not get going:\n"
      << consumer.log();

  server.stop();
  writers.server_down();
  EXPECT_TRUE(eventually([&] { return log.unavailable >= 50; }, 15s))
      << "writes did not answer 503 while PostgreSQL was stopped:\n"
      << consumer.log();
  const auto started = clock_type::now();
  const auto ready_down = try_get(port, "/api/ready", token);
  EXPECT_LT(clock_type::now() - started, request_timeout);
  ASSERT_TRUE(ready_down) << "/api/ready did not answer while PostgreSQL was stopped";
  EXPECT_EQ(ready_down->status, 503U) << ready_down->body;
  EXPECT_TRUE(has_retry_after(*ready_down));
  // What an operator's dashboard shows meanwhile.
  const auto scrape_down = try_get(port, "/metrics", {});
  ASSERT_TRUE(scrape_down) << "/metrics did not answer while PostgreSQL was stopped";
  EXPECT_EQ(sample_value(scrape_down->body, "evs_storage_ready"), "0") << scrape_down->body;
  EXPECT_NE(sample_value(scrape_down->body, "evs_storage_errors_total"), "0");
  EXPECT_NE(sample_value(scrape_down->body,
                         R"(evs_event_requests_rejected_total{reason="backpressure"})"),
            "0");
  const std::size_t acknowledged_when_down = log.acknowledged_batches;

  writers.server_starting();
  server.start();
  EXPECT_TRUE(eventually(
      [&] {
        const auto r = try_get(port, "/api/ready", token);
        return r && r->status == 200;
      },
      30s))
      << "/api/ready did not answer 200 once PostgreSQL was back:\n"
      << consumer.log();
  const auto scrape_up = try_get(port, "/metrics", {});
  ASSERT_TRUE(scrape_up);
  EXPECT_EQ(sample_value(scrape_up->body, "evs_storage_ready"), "1") << scrape_up->body;
  EXPECT_TRUE(
      eventually([&] { return log.acknowledged_batches >= acknowledged_when_down + 500; }, 30s))
      << "writes did not succeed again once PostgreSQL was back:\n"
      << consumer.log();
  writers.finish(30s);

  EXPECT_TRUE(consumer.process().running()) << "the consumer exited:\n" << consumer.log();
  EXPECT_GT(log.unavailable.load(), 0U);
  EXPECT_EQ(log.without_retry_after.load(), 0U) << "a 503 or 429 without Retry-After";
  EXPECT_EQ(log.transport_errors.load(), 0U) << "requests timed out or lost their connection";
  EXPECT_LT(log.slowest_ms.load(), 5000) << "a request took longer than a few seconds";
  {
    const std::lock_guard lock{log.mutex};
    EXPECT_TRUE(log.unexpected.empty())
        << log.unexpected.size() << " unexpected answers, first: " << log.unexpected.front();
  }

  const auto stored = stored_event_ids(port, event_type);
  const std::lock_guard lock{log.mutex};
  std::size_t never_acknowledged = 0;
  for (const auto& b : log.batches) never_acknowledged += b.acknowledged ? 0U : 1U;
  EXPECT_EQ(never_acknowledged, 0U) << "batches still refused after PostgreSQL came back";
  const auto c = check_store(stored, log.batches);
  EXPECT_EQ(c.acknowledged_missing, 0U) << "acknowledged events missing";
  EXPECT_EQ(c.half_stored_batches, 0U) << "batches stored in part";
  EXPECT_EQ(c.stored_more_than_once, 0U) << "events stored more than once";
  EXPECT_EQ(c.stored_but_never_sent, 0U) << "events nobody sent";
  EXPECT_EQ(stored.size(), c.sent_events) << "every batch was retried until acknowledged";
  ::testing::Test::RecordProperty("batches", static_cast<int>(log.batches.size()));
  ::testing::Test::RecordProperty("answers_503", static_cast<int>(log.unavailable.load()));
}

// A session of our own that holds the events table, so that the consumer's next commit waits
// on the lock for as long as the test likes: a store call that hangs.
class table_lock {
 public:
  explicit table_lock(const std::string& url) : conn_{PQconnectdb(url.c_str())} {
    if (PQstatus(conn_) != CONNECTION_OK) throw std::runtime_error(PQerrorMessage(conn_));
    exec("BEGIN");
    exec("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
  }
  ~table_lock() { PQfinish(conn_); }
  table_lock(const table_lock&) = delete;
  table_lock& operator=(const table_lock&) = delete;

  // Whether another session waits for a lock (the consumer's insert, once it is blocked).
  bool someone_waits() { return exec("SELECT 1 FROM pg_locks WHERE NOT granted") > 0; }

 private:
  int exec(const char* sql) {
    PGresult* r = PQexec(conn_, sql);
    const auto status = PQresultStatus(r);
    const int rows = PQntuples(r);
    PQclear(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      throw std::runtime_error(std::string{sql} + ": " + PQerrorMessage(conn_));
    return rows;
  }
  PGconn* conn_;
};

// One run of event-consumer on `url` with `setting` on top, and its port once it has stored an
// event of `event_type` (so that the schema exists and a writer connection is open).
std::pair<consumer_process, std::uint16_t> consumer_with_one_event(
    const temp_dir& dir, const std::string& url, std::pair<std::string, std::string> setting,
    const std::string& event_type) {
  consumer_process consumer{EVS_CONSUMER_BINARY, dir / "consumer.log",
                            postgres_settings({{"DATABASE_URL", url}, std::move(setting)})};
  const auto port = consumer.wait_listening(60s);
  const auto first = http_once(port, "POST", "/api/event", batch_body({"before"}, event_type),
                               {{"Authorization", bearer(make_token("events:write"))}});
  if (first.status != 200U) throw std::runtime_error("the first event got " + first.body);
  return {std::move(consumer), port};
}

TEST(PostgresConsumerProcess, ShutdownIsBoundedWhenAStoreCallHangs) {
  test_database db{postgres_backend()};
  const auto url = postgres_url(db);
  temp_dir dir{"evs-pg-stop"};
  auto [consumer, port] =
      consumer_with_one_event(dir, url, {"SHUTDOWN_TIMEOUT_SECONDS", "2"}, "stop.pg");
  const auto token = make_token("events:write");

  table_lock lock{url};
  auto stuck = std::async(std::launch::async, [&] {
    try {
      return http_once(port, "POST", "/api/event", batch_body({"stuck"}, "stop.pg"),
                       {{"Authorization", bearer(token)}})
          .status;
    } catch (const std::exception&) {
      return 0U;  // the connection closed without an answer
    }
  });
  ASSERT_TRUE(eventually([&] { return lock.someone_waits(); }, 20s)) << consumer.log();

  const auto started = clock_type::now();
  const auto status = consumer.terminate(15s);
  const auto took = clock_type::now() - started;
  ASSERT_TRUE(status) << "still running 15 s after SIGTERM with SHUTDOWN_TIMEOUT_SECONDS=2:\n"
                      << consumer.log();
  EXPECT_LT(took, 5s);
  EXPECT_TRUE(status->exited);
  EXPECT_EQ(status->code, 1) << "a stop cut short says so in its exit status";
  EXPECT_NE(consumer.log().find("shutdown timeout reached"), std::string::npos) << consumer.log();
  EXPECT_NE(stuck.get(), 200U) << "the stuck request was never acknowledged";
}

TEST(PostgresConsumerProcess, ASilentServerGets503WithinDbTimeoutAndTheConsumerRecovers) {
  const pg_control control;
  test_database db{postgres_backend()};
  const auto url = postgres_url(db);
  temp_dir dir{"evs-pg-silent"};
  auto [consumer, port] =
      consumer_with_one_event(dir, url, {"DB_TIMEOUT_SECONDS", "2"}, "silent.pg");
  const header_list auth{{"Authorization", bearer(make_token("events:write events:read"))}};

  {
    // The server keeps every connection open and answers nothing, as behind a partition.
    const pg_thaw_guard thaw{control};
    control.freeze();
    struct call {
      const char* method;
      const char* target;
      std::string body;
    };
    for (const auto& c : {call{"POST", "/api/event", batch_body({"during"}, "silent.pg")},
                          call{"GET", "/api/events", ""}, call{"GET", "/api/ready", ""}}) {
      const auto started = clock_type::now();
      const auto r = http_once(port, c.method, c.target, c.body, auth);
      const auto took = clock_type::now() - started;
      EXPECT_EQ(r.status, 503U) << c.method << " " << c.target << ": " << r.body;
      EXPECT_LT(took, 7s) << c.method << " " << c.target << " waited past DB_TIMEOUT_SECONDS";
    }
    EXPECT_NE(consumer.log().find("no answer from PostgreSQL within 2.0 s"), std::string::npos)
        << consumer.log();
  }

  // The server answers again: the consumer rebuilds its connections without a restart.
  EXPECT_TRUE(eventually(
      [&] {
        return http_once(port, "POST", "/api/event", batch_body({"after"}, "silent.pg"), auth)
                   .status == 200U;
      },
      30s))
      << consumer.log();
  EXPECT_TRUE(consumer.terminate(10s));
}

TEST(PostgresConsumerProcess, KillNineUnderLoadThenRestartKeepsEveryAcknowledgedEventOnce) {
  test_database db{postgres_backend()};
  const auto url = postgres_url(db);
  temp_dir dir{"evs-pg-kill"};
  const std::string event_type = "kill.pg";
  std::vector<ledger::batch> batches;

  {
    auto consumer = start_consumer(dir, url, 0);
    const auto port = consumer.wait_listening(60s);
    http_writers writers{port, 6, "kill", event_type, true};
    ASSERT_TRUE(eventually([&] { return writers.log().acknowledged_batches >= 1000; }, 60s))
        << "the load did not get going:\n"
        << consumer.log();
    // writers are in flight right now
    const auto status = consumer.kill_hard(20s);
    ASSERT_TRUE(status);
    EXPECT_FALSE(status->exited);
    EXPECT_EQ(status->signal, SIGKILL);
    writers.finish(0s);
    const std::lock_guard lock{writers.log().mutex};
    batches = writers.log().batches;
    EXPECT_TRUE(writers.log().unexpected.empty()) << writers.log().unexpected.front();
  }
  const auto unacknowledged = static_cast<std::size_t>(std::count_if(
      batches.begin(), batches.end(), [](const ledger::batch& b) { return !b.acknowledged; }));
  EXPECT_GT(unacknowledged, 0U) << "no request was in flight at the kill";

  auto restarted = start_consumer(dir, url, 1);
  const auto port = restarted.wait_listening(60s);
  const auto stored = stored_event_ids(port, event_type);
  const auto c = check_store(stored, batches);
  EXPECT_EQ(c.acknowledged_missing, 0U) << "acknowledged events missing after the restart";
  EXPECT_EQ(c.half_stored_batches, 0U) << "requests stored in part";
  EXPECT_EQ(c.stored_more_than_once, 0U) << "events stored more than once";
  EXPECT_EQ(c.stored_but_never_sent, 0U) << "events nobody sent";

  // The clients retry what was in flight at the kill, with the same event_ids: each batch
  // was committed entirely (all duplicates) or not at all (all accepted).
  http_client client{port, request_timeout};
  const auto token = make_token("events:write");
  for (auto& b : batches) {
    if (b.acknowledged) continue;
    const auto r = client.post("/api/event", batch_body(b.ids, event_type), token);
    ASSERT_EQ(r.status, 200U) << r.body;
    const auto accepted = r.json().at("accepted").as_int64();
    const auto duplicates = r.json().at("duplicates").as_int64();
    const auto size = static_cast<std::int64_t>(b.ids.size());
    EXPECT_EQ(accepted + duplicates, size) << r.body;
    EXPECT_TRUE(accepted == 0 || accepted == size) << r.body;
    b.acknowledged = true;
  }
  // And an acknowledged batch sent again stores nothing new.
  const auto first = std::find_if(batches.begin(), batches.end(),
                                  [](const ledger::batch& b) { return !b.ids.empty(); });
  ASSERT_NE(first, batches.end());
  const auto again = client.post("/api/event", batch_body(first->ids, event_type), token);
  ASSERT_EQ(again.status, 200U) << again.body;
  EXPECT_EQ(again.json().at("accepted").as_int64(), 0);

  const auto final_stored = stored_event_ids(port, event_type);
  const auto f = check_store(final_stored, batches);
  EXPECT_EQ(f.acknowledged_missing, 0U);
  EXPECT_EQ(f.stored_more_than_once, 0U);
  EXPECT_EQ(f.stored_but_never_sent, 0U);
  EXPECT_EQ(final_stored.size(), f.sent_events);
}

// postgresql://user:password@host:port/database?options -> the same with another password.
std::string with_password(std::string url, const std::string& password) {
  const auto scheme = url.find("://");
  const auto at = url.find('@', scheme);
  const auto colon = url.find(':', scheme + 3);
  if (scheme == std::string::npos || at == std::string::npos || colon > at)
    throw std::runtime_error("no password in " + url);
  return url.replace(colon + 1, at - colon - 1, password);
}

// ... and with another database name.
std::string with_database(std::string url, const std::string& database) {
  const auto slash = url.find('/', url.find('@'));
  if (slash == std::string::npos) throw std::runtime_error("no database in " + url);
  const auto end = url.find('?', slash);
  return url.replace(slash + 1, (end == std::string::npos ? url.size() : end) - slash - 1,
                     database);
}

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

class PostgresStartup : public ::testing::Test {
 protected:
  // Runs the consumer with these settings on top of postgres_settings(); it must exit by itself.
  run_result start(const env_settings& settings) {
    const auto options =
        consumer_options(EVS_CONSUMER_BINARY, postgres_settings(settings), dir_.path());
    const auto started = clock_type::now();
    auto result = run_program(options, dir_.path(), 30s);
    elapsed_ = clock_type::now() - started;
    return result;
  }

  // Exit code 2 within a few seconds, one line on stderr that names `setting` (not
  // `other_setting`), gives the cause and shows no password.
  ::testing::AssertionResult is_configuration_error(const run_result& r, const std::string& setting,
                                                    const std::string& other_setting,
                                                    const std::string& cause) const {
    std::vector<std::string> problems;
    if (!r.status.exited) problems.push_back("killed by signal " + std::to_string(r.status.signal));
    if (r.status.code != 2) problems.push_back("exit code " + std::to_string(r.status.code));
    if (elapsed_ >= 5s) problems.push_back("took 5 s or more");
    if (line_count(r.err) != 1U || !r.err.ends_with('\n')) problems.push_back("not one line");
    if (r.err.find(setting) == std::string::npos) problems.push_back("does not name " + setting);
    if (r.err.find(other_setting) != std::string::npos)
      problems.push_back("names " + other_setting);
    if (r.err.find(cause) == std::string::npos) problems.push_back("does not say " + cause);
    if (r.err.find(wrong_password) != std::string::npos ||
        r.err.find(required_env("DB_PASSWORD")) != std::string::npos)
      problems.push_back("shows a password");
    if (problems.empty()) return ::testing::AssertionSuccess();
    auto failure = ::testing::AssertionFailure();
    for (const auto& p : problems) failure << p << "; ";
    return failure << "stderr: " << r.err;
  }

  static constexpr const char* wrong_password = "not-the-password-9f3b";
  temp_dir dir_{"evs-pg-startup"};
  clock_type::duration elapsed_{};
};

TEST_F(PostgresStartup, WrongPasswordInDatabaseUrlExitsTwoNamingIt) {
  const auto url = with_password(required_env("EVS_TEST_PG_URL"), wrong_password);
  const auto r = start({{"DATABASE_URL", url}});
  EXPECT_TRUE(
      is_configuration_error(r, "DATABASE_URL", "DB_HOSTNAME", "password authentication failed"));
}

TEST_F(PostgresStartup, UnknownDatabaseInDatabaseUrlExitsTwoNamingIt) {
  const auto url = with_database(required_env("EVS_TEST_PG_URL"), "evs_no_such_database");
  const auto r = start({{"DATABASE_URL", url}});
  EXPECT_TRUE(is_configuration_error(r, "DATABASE_URL", "DB_HOSTNAME",
                                     "\"evs_no_such_database\" does not exist"));
}

TEST_F(PostgresStartup, WrongDbPasswordExitsTwoNamingDbHostname) {
  const auto r = start({{"DB_HOSTNAME", required_env("DB_HOSTNAME")},
                        {"DB_PORT", required_env("DB_PORT")},
                        {"DB_USER", required_env("DB_USER")},
                        {"DB_PASSWORD", std::string{wrong_password}},
                        {"DB_DATASET", required_env("DB_DATASET")}});
  EXPECT_TRUE(
      is_configuration_error(r, "DB_HOSTNAME", "DATABASE_URL", "password authentication failed"));
}

TEST_F(PostgresStartup, UnknownDbDatasetExitsTwoNamingDbHostname) {
  const auto r = start({{"DB_HOSTNAME", required_env("DB_HOSTNAME")},
                        {"DB_PORT", required_env("DB_PORT")},
                        {"DB_USER", required_env("DB_USER")},
                        {"DB_PASSWORD", required_env("DB_PASSWORD")},
                        {"DB_DATASET", "evs_no_such_database"}});
  EXPECT_TRUE(is_configuration_error(r, "DB_HOSTNAME", "DATABASE_URL",
                                     "\"evs_no_such_database\" does not exist"));
}

}  // namespace
}  // namespace evs::test
