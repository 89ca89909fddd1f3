// The real event-consumer binary on MariaDB (or MySQL, see on_mysql): the server stopped (or
// killed) under concurrent HTTP load and started again (503s with Retry-After meanwhile, /api/ready
// 503, writes succeed again without restarting the consumer, nothing acknowledged lost), a server
// that answers nothing (503 within DB_TIMEOUT_SECONDS), kill -9 of the consumer under load and a
// restart on the same database, and start-up with a wrong password or an unknown database (exit
// code 2, one line naming the setting, the server's own words).
#include "http_writers.hpp"
#include "support/backends.hpp"
#include "support/consumer_process.hpp"
#include "support/http_client.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/tokens.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace evs::test {
namespace {

using namespace std::chrono_literals;

// The server under test: MariaDB (scripts/with-mariadb), or MySQL when EVS_TEST_SERVER=mysql
// (scripts/with-mysql; ctest's mysql_consumer_process). One store serves both.
bool on_mysql() {
  const char* server = std::getenv("EVS_TEST_SERVER");
  return server != nullptr && std::string_view{server} == "mysql";
}

// The variable of scripts/with-mariadb or with-mysql that ends in `what` (URL, CTL).
std::string server_env(const std::string& what) {
  return required_env(((on_mysql() ? "EVS_TEST_MYSQL_" : "EVS_TEST_MARIADB_") + what).c_str());
}

backend mariadb_backend() {
  const std::string_view name = on_mysql() ? "mysql" : "mariadb";
  for (auto& b : all_backends())
    if (b.name == name) return b;
  throw std::runtime_error("no " + std::string{name} + " backend");
}

// mysql://user:password@127.0.0.1:port/database of a test database.
std::string url_of(const storage::mariadb_config& c, const std::string& password) {
  return "mysql://" + c.user + ":" + password + "@" + c.host + ":" + std::to_string(c.port) + "/" +
         c.database;
}
std::string url_of(const test_database& db) {
  const auto& c = std::get<storage::mariadb_config>(db.config());
  return url_of(c, c.password);
}

// `$EVS_TEST_MARIADB_CTL action` (scripts/with-mariadb; EVS_TEST_MYSQL_CTL on MySQL): stop,
// start, kill, freeze, thaw.
void server(const std::string& action) {
  const std::string command = server_env("CTL") + " " + action;
  if (std::system(command.c_str()) != 0) throw std::runtime_error(command + " failed");
}

// Leaves the shared server running and answering, whatever a failed test did to it.
struct server_guard {
  ~server_guard() {
    try {
      server("thaw");
      server("start");
    } catch (const std::exception&) {
      // The next test reports a missing server.
    }
  }
};

env_settings mariadb_settings(const env_settings& settings) {
  env_settings all{{"DB_WRITE_CONNECTIONS", "4"}};
  for (const auto& [key, value] : settings) set_env(all, key, value);
  return all;
}

consumer_process start_consumer(const temp_dir& dir, const std::string& url, int run,
                                const env_settings& more = {}) {
  env_settings settings{{"DATABASE_URL", url}};
  for (const auto& [key, value] : more) set_env(settings, key, value);
  return consumer_process{EVS_CONSUMER_BINARY, dir / ("consumer-" + std::to_string(run) + ".log"),
                          mariadb_settings(settings)};
}

// The server goes away under load by the parameter ("stop": a clean shutdown; "kill": SIGKILL)
// and comes back: 503s with Retry-After meanwhile, /api/ready 503, then writes succeed again
// without restarting the consumer, and every batch is stored exactly once (nothing
// acknowledged is lost).
class MariadbOutageUnderLoad : public ::testing::TestWithParam<std::string> {};

TEST_P(MariadbOutageUnderLoad, Answers503AndRecoversWithoutARestartLosingNothingAcknowledged) {
  const std::string& how = GetParam();
  const server_guard guard;
  test_database db{mariadb_backend()};
  temp_dir dir{"evs-mariadb-outage"};
  auto consumer = start_consumer(dir, url_of(db), 0);
  const auto port = consumer.wait_listening(60s);
  const auto token = make_token();
  const std::string event_type = "outage.mariadb";

  http_writers writers{port, 4, "outage", event_type, false};
  auto& log = writers.log();
  ASSERT_TRUE(eventually([&] { return log.acknowledged_batches >= 300; }, 60s))
      << "the load did not get going:\n"
      << consumer.log();

  server(how);
  writers.server_down();
  EXPECT_TRUE(eventually([&] { return log.unavailable >= 50; }, 15s))
      << "writes did not answer 503 while MariaDB was down:\n"
      << consumer.log();
  const auto asked = std::chrono::steady_clock::now();
  const auto ready_down = try_get(port, "/api/ready", token);
  EXPECT_LT(std::chrono::steady_clock::now() - asked, request_timeout);
  ASSERT_TRUE(ready_down) << "/api/ready did not answer while MariaDB was down";
  EXPECT_EQ(ready_down->status, 503U) << ready_down->body;
  EXPECT_TRUE(has_retry_after(*ready_down));
  const std::size_t acknowledged_when_down = log.acknowledged_batches;

  writers.server_starting();
  server("start");
  EXPECT_TRUE(eventually(
      [&] {
        const auto r = try_get(port, "/api/ready", token);
        return r && r->status == 200;
      },
      30s))
      << "/api/ready did not answer 200 once MariaDB was back:\n"
      << consumer.log();
  EXPECT_TRUE(
      eventually([&] { return log.acknowledged_batches >= acknowledged_when_down + 300; }, 30s))
      << "writes did not succeed again once MariaDB was back:\n"
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

  const auto stored = count_stored_event_ids(port, "&event_type=" + event_type);
  const std::lock_guard lock{log.mutex};
  std::size_t never_acknowledged = 0;
  for (const auto& b : log.batches) never_acknowledged += b.acknowledged ? 0U : 1U;
  EXPECT_EQ(never_acknowledged, 0U) << "batches still refused after MariaDB came back";
  const auto c = check_store(stored, log.batches);
  EXPECT_EQ(c.acknowledged_missing, 0U) << "acknowledged events missing";
  EXPECT_EQ(c.half_stored_batches, 0U) << "batches stored in part";
  EXPECT_EQ(c.stored_more_than_once, 0U) << "events stored more than once";
  EXPECT_EQ(c.stored_but_never_sent, 0U) << "events nobody sent";
  EXPECT_EQ(stored.size(), c.sent_events) << "every batch was retried until acknowledged";
}

INSTANTIATE_TEST_SUITE_P(ServerStoppedOrKilled, MariadbOutageUnderLoad,
                         ::testing::Values("stop", "kill"),
                         [](const auto& param_info) { return param_info.param; });

TEST(MariadbConsumerProcess, ASilentServerGets503WithinDbTimeoutAndTheConsumerRecovers) {
  const server_guard guard;
  test_database db{mariadb_backend()};
  temp_dir dir{"evs-mariadb-silent"};
  auto consumer = start_consumer(dir, url_of(db), 0, {{"DB_TIMEOUT_SECONDS", "2"}});
  const auto port = consumer.wait_listening(60s);
  const header_list auth{{"Authorization", bearer(make_token("events:write events:read"))}};
  ASSERT_EQ(
      http_once(port, "POST", "/api/event", batch_body({"before"}, "silent.mariadb"), auth).status,
      200U)
      << consumer.log();

  server("freeze");  // keeps every connection open and answers nothing, as behind a partition
  struct call {
    const char* method;
    const char* target;
    std::string body;
  };
  for (const auto& c : {call{"POST", "/api/event", batch_body({"during"}, "silent.mariadb")},
                        call{"GET", "/api/events", ""}, call{"GET", "/api/ready", ""}}) {
    const auto started = std::chrono::steady_clock::now();
    const auto r = http_once(port, c.method, c.target, c.body, auth);
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(r.status, 503U) << c.method << " " << c.target << ": " << r.body;
    EXPECT_LT(took, 7s) << c.method << " " << c.target << " waited past DB_TIMEOUT_SECONDS";
  }
  EXPECT_NE(consumer.log().find("no answer from MariaDB within 2 s"), std::string::npos)
      << consumer.log();
  server("thaw");

  // The server answers again: the consumer rebuilds its connections without a restart.
  EXPECT_TRUE(eventually(
      [&] {
        return http_once(port, "POST", "/api/event", batch_body({"after"}, "silent.mariadb"), auth)
                   .status == 200U;
      },
      30s))
      << consumer.log();
  EXPECT_TRUE(consumer.terminate(10s));
}

TEST(MariadbConsumerProcess, KillNineUnderLoadThenRestartKeepsEveryAcknowledgedEventOnce) {
  test_database db{mariadb_backend()};
  const auto url = url_of(db);
  temp_dir dir{"evs-mariadb-kill"};
  const std::string event_type = "kill.mariadb";
  std::vector<ledger::batch> batches;

  {
    auto consumer = start_consumer(dir, url, 0);
    const auto port = consumer.wait_listening(60s);
    http_writers writers{port, 6, "kill", event_type, true};
    ASSERT_TRUE(eventually([&] { return writers.log().acknowledged_batches >= 1000; }, 60s))
        << "the load did not get going:\n"
        << consumer.log();
    const auto status = consumer.kill_hard(20s);  // writers are in flight right now
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
  const auto c = check_store(count_stored_event_ids(port, "&event_type=" + event_type), batches);
  EXPECT_EQ(c.acknowledged_missing, 0U) << "acknowledged events missing after the restart";
  EXPECT_EQ(c.half_stored_batches, 0U) << "requests stored in part";
  EXPECT_EQ(c.stored_more_than_once, 0U) << "events stored more than once";
  EXPECT_EQ(c.stored_but_never_sent, 0U) << "events nobody sent";

  // The clients retry what was in flight at the kill, with the same event_ids: each batch was
  // committed entirely (all duplicates) or not at all (all accepted).
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
  const auto f = check_store(count_stored_event_ids(port, "&event_type=" + event_type), batches);
  EXPECT_EQ(f.acknowledged_missing, 0U);
  EXPECT_EQ(f.stored_more_than_once, 0U);
  EXPECT_EQ(f.stored_but_never_sent, 0U);
}

class MariadbStartup : public ::testing::Test {
 protected:
  // Runs the consumer with these settings; it must exit by itself.
  run_result start(const env_settings& settings) {
    const auto options =
        consumer_options(EVS_CONSUMER_BINARY, mariadb_settings(settings), dir_.path());
    const auto started = std::chrono::steady_clock::now();
    auto result = run_program(options, dir_.path(), 30s);
    elapsed_ = std::chrono::steady_clock::now() - started;
    return result;
  }

  // Exit code 2 within a few seconds, one line on stderr that names `setting`, gives the
  // server's cause and shows no password.
  ::testing::AssertionResult is_configuration_error(const run_result& r, const std::string& setting,
                                                    const std::string& cause) const {
    std::vector<std::string> problems;
    if (!r.status.exited) problems.push_back("killed by signal " + std::to_string(r.status.signal));
    if (r.status.code != 2) problems.push_back("exit code " + std::to_string(r.status.code));
    if (elapsed_ >= 5s) problems.push_back("took 5 s or more");
    if (std::count(r.err.begin(), r.err.end(), '\n') != 1 || !r.err.ends_with('\n'))
      problems.push_back("not one line");
    if (r.err.find(setting) == std::string::npos) problems.push_back("does not name " + setting);
    if (r.err.find(cause) == std::string::npos) problems.push_back("does not say " + cause);
    if (r.err.find(wrong_password) != std::string::npos ||
        r.err.find(config_.password) != std::string::npos)
      problems.push_back("shows a password");
    if (problems.empty()) return ::testing::AssertionSuccess();
    auto failure = ::testing::AssertionFailure();
    for (const auto& p : problems) failure << p << "; ";
    return failure << "stderr: " << r.err;
  }

  static constexpr const char* wrong_password = "not-the-password-9f3b";
  const storage::mariadb_config config_ = storage::mariadb::mariadb_from_url(server_env("URL"));
  temp_dir dir_{"evs-mariadb-startup"};
  std::chrono::steady_clock::duration elapsed_{};
};

TEST_F(MariadbStartup, WrongPasswordInDatabaseUrlExitsTwoNamingIt) {
  const auto r = start({{"DATABASE_URL", url_of(config_, wrong_password)}});
  EXPECT_TRUE(is_configuration_error(r, "DATABASE_URL", "Access denied for user"));
}

TEST_F(MariadbStartup, UnknownDatabaseInDatabaseUrlExitsTwoNamingIt) {
  auto other = config_;
  other.database = "evs_no_such_database";
  const auto r = start({{"DATABASE_URL", url_of(other, other.password)}});
  EXPECT_TRUE(is_configuration_error(r, "DATABASE_URL", "Unknown database 'evs_no_such_database'"));
}

TEST_F(MariadbStartup, WrongDbPasswordWithDriverMysqlExitsTwoNamingDbHostname) {
  const auto r = start({{"DB_DRIVER", "mysql"},
                        {"DB_HOSTNAME", config_.host + ":" + std::to_string(config_.port)},
                        {"DB_USER", config_.user},
                        {"DB_PASSWORD", std::string{wrong_password}},
                        {"DB_DATASET", config_.database}});
  EXPECT_TRUE(is_configuration_error(r, "DB_HOSTNAME", "Access denied for user"));
}

TEST_F(MariadbStartup, DriverMysqlByPartsReachesTheServer) {
  // The right password by parts: the consumer starts (and is stopped by the deadline).
  temp_dir dir{"evs-mariadb-parts"};
  consumer_process consumer{EVS_CONSUMER_BINARY, dir / "consumer.log",
                            mariadb_settings({{"DB_DRIVER", "mysql"},
                                              {"DB_HOSTNAME", config_.host},
                                              {"DB_PORT", std::to_string(config_.port)},
                                              {"DB_USER", config_.user},
                                              {"DB_PASSWORD", config_.password},
                                              {"DB_DATASET", config_.database}})};
  const auto port = consumer.wait_listening(60s);
  const auto r = http_once(port, "GET", "/api/ready", "",
                           {{"Authorization", bearer(make_token("events:read"))}});
  EXPECT_EQ(r.status, 200U) << r.body << consumer.log();
  EXPECT_NE(consumer.log().find("storage=mariadb"), std::string::npos) << consumer.log();
}

}  // namespace
}  // namespace evs::test
