// The JetStream tier with real processes: event-consumer in INGEST=jetstream mode and
// event-loader, on the three-node cluster of scripts/with-nats (and the PostgreSQL server of
// scripts/with-postgres). What a user checks: every event acknowledged with a 2xx ends up in
// the store exactly once, whatever was killed meanwhile; without a quorum writes and
// /api/ready answer 503.
#include "integration/nats_cluster.hpp"
#include "integration/pg_control.hpp"
#include "support/backends.hpp"
#include "support/consumer_process.hpp"
#include "support/http_client.hpp"
#include "support/metrics_scrape.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/tokens.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace evs::test {
namespace {

using namespace std::chrono_literals;

// Each test has a stream, subject and durable of its own on the shared cluster.
env_settings stream_settings(const std::string& name) {
  return {{"INGEST", "jetstream"},
          {"NATS_STREAM", name},
          {"NATS_SUBJECT", "evs-test." + name},
          {"NATS_DURABLE", "loader-" + name}};
}

consumer_process start_consumer(const temp_dir& dir, const std::string& stream, int run,
                                env_settings extra = {}) {
  auto settings = stream_settings(stream);
  set_env(settings, "DB_PATH", (dir / ("consumer-reads-" + std::to_string(run) + ".db")).string());
  for (auto& [key, value] : extra) set_env(settings, key, value);
  consumer_process consumer{EVS_CONSUMER_BINARY, dir / ("consumer-" + std::to_string(run) + ".log"),
                            settings};
  consumer.wait_listening(30s);
  return consumer;
}

// event-loader on `stream` into `database` (a DATABASE_URL), its log in the test's folder.
std::unique_ptr<child_process> start_loader(const temp_dir& dir, const std::string& stream,
                                            const std::string& database, int run,
                                            const std::string& batch = "200",
                                            std::uint16_t metrics_port = 0) {
  process_options options;
  options.program = EVS_LOADER_BINARY;
  options.cwd = dir.path();
  options.stderr_path = dir / ("loader-" + std::to_string(run) + ".log");
  options.env = stream_settings(stream);
  options.env.emplace_back("DATABASE_URL", database);
  options.env.emplace_back("LOADER_BATCH", batch);
  options.env.emplace_back("STATUS_INTERVAL_SECONDS", "1");
  options.env.emplace_back("ACK_WAIT_SECONDS", "5");
  options.env.emplace_back("DB_PATH", std::nullopt);
  options.env.emplace_back("METRICS_PORT", std::to_string(metrics_port));
  auto loader = std::make_unique<child_process>(options);
  // Bound to the stream: from here on it drains.
  if (!eventually(
          [&] {
            return read_text_file(options.stderr_path).find("event-loader draining") !=
                   std::string::npos;
          },
          30s))
    throw std::runtime_error("event-loader did not start: " + read_text_file(options.stderr_path));
  return loader;
}

std::string batch_body(const std::vector<std::string>& ids) {
  std::string body = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i != 0) body += ",";
    body += R"({"event_type":"js_test","event_id":")" + ids[i] + R"(","event_payload":{"n":)" +
            std::to_string(i) + "}}";
  }
  return body + "]";
}

// Writers posting batches of fresh event_ids to consumers until stopped, keeping the ids of
// every batch answered 2xx. A batch not answered 2xx is not retried: its events may or may
// not be stored, and nothing is claimed about them.
class http_load {
 public:
  http_load(std::vector<std::uint16_t> ports, std::string prefix, std::size_t per_request = 10)
      : prefix_{std::move(prefix)}, per_request_{per_request} {
    for (std::size_t w = 0; w < ports.size() * 2; ++w)
      threads_.emplace_back([this, port = ports[w % ports.size()], w] { write(port, w); });
  }
  ~http_load() { stop(); }
  void stop() {
    stop_ = true;
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }
  std::set<std::string> acknowledged() const {
    const std::lock_guard lock{mutex_};
    return acknowledged_;
  }
  std::size_t refused() const { return refused_; }

 private:
  void write(std::uint16_t port, std::size_t writer) {
    const auto token = make_token();
    std::unique_ptr<http_client> client;
    for (std::size_t batch = 0; !stop_; ++batch) {
      std::vector<std::string> ids;
      for (std::size_t i = 0; i < per_request_; ++i)
        ids.push_back(prefix_ + "-" + std::to_string(writer) + "-" + std::to_string(batch) + "-" +
                      std::to_string(i));
      try {
        if (!client) client = std::make_unique<http_client>(port, 20s);
        const auto reply = client->post("/api/event", batch_body(ids), token);
        if (reply.status == 200) {
          const std::lock_guard lock{mutex_};
          acknowledged_.insert(ids.begin(), ids.end());
        } else {
          ++refused_;
          std::this_thread::sleep_for(50ms);
        }
      } catch (const std::exception&) {
        client.reset();
        ++refused_;
        std::this_thread::sleep_for(50ms);
      }
    }
  }

  std::string prefix_;
  std::size_t per_request_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> refused_{0};
  mutable std::mutex mutex_;
  std::set<std::string> acknowledged_;
  std::vector<std::thread> threads_;
};

// Every acknowledged id stored exactly once, and nothing stored more than once.
::testing::AssertionResult each_stored_once(const std::set<std::string>& acknowledged,
                                            const std::map<std::string, int>& stored) {
  std::size_t missing = 0;
  std::string example;
  for (const auto& id : acknowledged) {
    const auto it = stored.find(id);
    if (it == stored.end()) {
      if (missing++ == 0) example = id;
    }
  }
  for (const auto& [id, count] : stored)
    if (count != 1) return ::testing::AssertionFailure() << id << " stored " << count << " times";
  if (missing != 0)
    return ::testing::AssertionFailure() << missing << " of " << acknowledged.size()
                                         << " acknowledged events missing, e.g. " << example;
  return ::testing::AssertionSuccess();
}

// Waits until the store holds every acknowledged id (the loader has drained), then checks.
template <class Count>
::testing::AssertionResult drained_exactly_once(const std::set<std::string>& acknowledged,
                                                Count count, std::chrono::seconds deadline) {
  eventually(
      [&] {
        const auto stored = count();
        std::size_t found = 0;
        for (const auto& id : acknowledged) found += stored.count(id);
        return found == acknowledged.size();
      },
      deadline);
  return each_stored_once(acknowledged, count());
}

// A port of 127.0.0.1 free a moment ago, for a listener that cannot be told port 0.
std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string sqlite_url(const std::filesystem::path& path) { return "sqlite:///" + path.string(); }

TEST(JetstreamCluster, StreamLeaderKilledMidStreamLosesNothingAcknowledged) {
  const nats_cluster cluster;
  const nats_restart_guard restart{cluster};
  const temp_dir dir{"evs-js-leader"};
  const std::string stream = "LEADERKILL";
  auto consumer_a = start_consumer(dir, stream, 1);
  auto consumer_b = start_consumer(dir, stream, 2);
  const auto db = dir / "loaded.db";
  auto loader = start_loader(dir, stream, sqlite_url(db), 1);

  http_load load{{consumer_a.wait_listening(), consumer_b.wait_listening()}, "lk"};
  ASSERT_TRUE(eventually([&] { return load.acknowledged().size() >= 500; }, 30s))
      << consumer_a.log();
  const int leader = cluster.stream_leader(stream);
  ASSERT_NE(leader, 0) << "no leader for " << stream;
  cluster.kill_node(leader);
  const auto before_restart = load.acknowledged().size();
  // Writes go on against the two nodes left, which elect a new leader.
  ASSERT_TRUE(eventually([&] { return load.acknowledged().size() >= before_restart + 500; }, 60s))
      << "no writes acknowledged after the leader was killed\n"
      << consumer_a.log();
  cluster.start_node(leader);
  const auto after_restart = load.acknowledged().size();
  ASSERT_TRUE(eventually([&] { return load.acknowledged().size() >= after_restart + 300; }, 60s));
  load.stop();

  const auto acknowledged = load.acknowledged();
  std::cout << "leader evs-n" << leader << " killed and restarted; " << acknowledged.size()
            << " events acknowledged, " << load.refused() << " requests refused\n";
  EXPECT_TRUE(drained_exactly_once(
      acknowledged, [&] { return sqlite_stored_event_ids(db); }, 90s))
      << read_text_file(dir / "loader-1.log");
  EXPECT_TRUE(loader->running()) << read_text_file(dir / "loader-1.log");
}

TEST(JetstreamCluster, LoaderKilledMidDrainStoresEachEventOnce) {
  const nats_cluster cluster;
  const temp_dir dir{"evs-js-loader"};
  const std::string stream = "LOADERKILL";
  auto consumer = start_consumer(dir, stream, 1);
  http_load load{{consumer.wait_listening()}, "lkd", 50};
  ASSERT_TRUE(eventually([&] { return load.acknowledged().size() >= 4000; }, 60s))
      << consumer.log();
  load.stop();
  const auto acknowledged = load.acknowledged();

  // Small batches and a kill -9 once part of the stream is loaded: a batch may be committed
  // and not yet acknowledged, and is delivered again after the restart.
  const auto db = dir / "loaded.db";
  auto loader = start_loader(dir, stream, sqlite_url(db), 1, "50");
  ASSERT_TRUE(eventually([&] { return sqlite_stored_event_ids(db).size() >= 1000; }, 60s))
      << read_text_file(dir / "loader-1.log");
  loader->send_signal(SIGKILL);
  ASSERT_TRUE(loader->wait_for(10s));
  const auto partial = sqlite_stored_event_ids(db).size();
  EXPECT_LT(partial, acknowledged.size()) << "the loader drained everything before the kill";

  const auto metrics_port = free_port();
  auto restarted = start_loader(dir, stream, sqlite_url(db), 2, "50", metrics_port);
  EXPECT_TRUE(drained_exactly_once(
      acknowledged, [&] { return sqlite_stored_event_ids(db); }, 90s))
      << read_text_file(dir / "loader-2.log");
  EXPECT_EQ(sqlite_stored_event_ids(db).size(), acknowledged.size());
  // Its own count of what it stored: the rest, the redelivered part counted as duplicates.
  const auto scrape = http_once(metrics_port, "GET", "/metrics").body;
  EXPECT_EQ(sample_value(scrape, "evs_loader_events_loaded_total"),
            std::to_string(acknowledged.size() - partial))
      << scrape;
}

TEST(JetstreamCluster, DatabaseDownIngestKeepsAnsweringAndTheLoaderCatchesUp) {
  const nats_cluster cluster;
  const pg_control postgres;
  const pg_restart_guard restart{postgres};
  const temp_dir dir{"evs-js-dbdown"};
  const std::string stream = "DBDOWN";
  const test_database db{all_backends().at(1)};
  const auto url = std::get<storage::postgres_config>(db.config()).params.at(0).value;
  // Reads from the database the loader fills, as a JetStream deployment is configured.
  auto consumer = start_consumer(
      dir, stream, 1,
      {{"DB_PATH", std::nullopt}, {"DATABASE_URL", url}, {"DB_TIMEOUT_SECONDS", "2"}});
  const auto port = consumer.wait_listening();
  auto loader = start_loader(dir, stream, url, 1);

  http_load load{{port}, "dbd"};
  ASSERT_TRUE(eventually([&] { return load.acknowledged().size() >= 300; }, 30s));
  postgres.stop();
  const auto at_stop = load.acknowledged().size();
  const auto refused_at_stop = load.refused();
  // JetStream holds the events: ingest goes on without the database.
  ASSERT_TRUE(eventually([&] { return load.acknowledged().size() >= at_stop + 1000; }, 60s));
  EXPECT_EQ(load.refused(), refused_at_stop) << "writes refused while only the database was down";
  EXPECT_EQ(
      http_once(port, "GET", "/api/ready", {}, {{"Authorization", bearer(make_token())}}).status,
      200u);
  load.stop();
  // The loader noticed and waits with its batch unacknowledged.
  EXPECT_TRUE(eventually(
      [&] {
        return read_text_file(dir / "loader-1.log").find("insert failed") != std::string::npos;
      },
      30s))
      << read_text_file(dir / "loader-1.log");
  postgres.start();

  const auto acknowledged = load.acknowledged();
  EXPECT_TRUE(drained_exactly_once(
      acknowledged, [&] { return count_stored_event_ids(port, "&event_type=js_test"); }, 120s))
      << read_text_file(dir / "loader-1.log");
}

TEST(JetstreamCluster, WithoutQuorumWritesAndReadinessAnswer503) {
  const nats_cluster cluster;
  const nats_restart_guard restart{cluster};
  const temp_dir dir{"evs-js-quorum"};
  const std::string stream = "NOQUORUM";
  auto consumer = start_consumer(dir, stream, 1, {{"NATS_TIMEOUT_SECONDS", "2"}});
  const auto port = consumer.wait_listening();
  const auto token = make_token();
  http_client client{port, 30s};
  ASSERT_EQ(client.post("/api/event", batch_body({"nq-1"}), token).status, 200u);
  ASSERT_EQ(client.get("/api/ready", token).status, 200u);

  cluster.kill_node(2);
  cluster.kill_node(3);
  const auto refused = client.post("/api/event", batch_body({"nq-2", "nq-3"}), token);
  EXPECT_EQ(refused.status, 503u) << refused.body;
  EXPECT_TRUE(refused.header("Retry-After")) << "503 without Retry-After";
  // The stream's leader steps down once it has not heard from a quorum for a while (about
  // ten seconds): readiness follows it.
  EXPECT_TRUE(eventually([&] { return client.get("/api/ready", token).status == 503; }, 30s));

  cluster.start_node(2);
  cluster.start_node(3);
  // Back without a restart of the consumer once a quorum is back.
  EXPECT_TRUE(eventually(
      [&] {
        return http_client{port, 10s}.get("/api/ready", token).status == 200;
      },
      60s));
  EXPECT_TRUE(eventually(
      [&] {
        return http_client{port, 10s}
                   .post("/api/event", batch_body({"nq-2", "nq-3"}), token)
                   .status == 200;
      },
      60s))
      << consumer.log();
}

}  // namespace
}  // namespace evs::test
