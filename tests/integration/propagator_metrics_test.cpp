// The propagator's METRICS_PORT with the real programs: event-propagator starts while
// event-consumer is down, so a scrape shows it backing off; then the consumer comes up, and
// once the events are delivered a scrape must match the run exactly and pass Prometheus's own
// promtool. Without METRICS_PORT nothing listens.
#include "support/consumer_process.hpp"
#include "support/http_client.hpp"
#include "support/metrics_scrape.hpp"
#include "support/process.hpp"
#include "support/promtool.hpp"
#include "support/scripted_server.hpp"
#include "support/temp_dir.hpp"
#include "support/tokens.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <set>
#include <sstream>

namespace evs::test {
namespace {

using namespace std::chrono_literals;

constexpr int events = 25;

// The TCP ports `pid` listens on: its socket descriptors that /proc/<pid>/net/tcp{,6} shows in
// state LISTEN (0A).
std::set<std::string> listening_sockets(pid_t pid) {
  const std::filesystem::path proc = "/proc/" + std::to_string(pid);
  std::set<std::string> inodes;
  for (const auto& fd : std::filesystem::directory_iterator{proc / "fd"}) {
    std::error_code ec;
    const auto target = std::filesystem::read_symlink(fd.path(), ec).string();
    if (target.starts_with("socket:[")) inodes.insert(target.substr(8, target.size() - 9));
  }
  std::set<std::string> listening;
  for (const auto* table : {"net/tcp", "net/tcp6"}) {
    std::istringstream lines{read_text_file(proc / table)};
    std::string line;
    std::getline(lines, line);  // the header
    while (std::getline(lines, line)) {
      std::istringstream fields{line};
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      if (state == "0A" && inodes.contains(inode)) listening.insert(local);
    }
  }
  return listening;
}

class PropagatorMetrics : public ::testing::Test {
 protected:
  std::unique_ptr<child_process> start_consumer() {
    process_options options;
    options.program = EVS_CONSUMER_BINARY;
    options.cwd = dir.path();
    options.stderr_path = dir / "consumer.log";
    options.env = {{"SECRET_KEY", std::string{test_secret}},
                   {"ALGORITHM", "HS256"},
                   {"HOST", "127.0.0.1"},
                   {"PORT", std::to_string(api_port)},
                   {"DB_PATH", (dir / "data" / "events.db").string()},
                   {"DATABASE_URL", std::nullopt},
                   {"DB_HOSTNAME", std::nullopt},
                   {"METRICS_PORT", std::nullopt},
                   {"LOG_LEVEL", "info"}};
    auto consumer = std::make_unique<child_process>(options);
    EXPECT_TRUE(eventually([&] {
      return read_text_file(options.stderr_path).find("listening") != std::string::npos;
    })) << read_text_file(options.stderr_path);
    return consumer;
  }

  // One tick of `events` events at start, the next an hour away: the run's numbers stay put
  // once they are delivered.
  std::unique_ptr<child_process> start_propagator(std::optional<std::string> metrics_port_setting,
                                                  std::optional<std::string> count = {}) {
    process_options options;
    options.program = EVS_PROPAGATOR_BIN;
    options.cwd = dir.path();
    options.stderr_path = propagator_log;
    options.env = {{"API_URL", "http://127.0.0.1:" + std::to_string(api_port) + "/api/event"},
                   {"API_TOKEN", make_token("events:write")},
                   {"SPOOL_PATH", (dir / "spool.db").string()},
                   {"INTERVAL_SECONDS", "3600"},
                   {"BATCH_SIZE", std::to_string(events)},
                   {"BACKOFF_BASE_SECONDS", "0.05"},
                   {"BACKOFF_MAX_SECONDS", "0.2"},
                   {"EVENTS_FILE", std::nullopt},
                   {"METRICS_HOST", std::nullopt},
                   {"METRICS_PORT", std::move(metrics_port_setting)},
                   {"LOG_LEVEL", "info"}};
    if (count) options.args = {"--count", *count};
    return std::make_unique<child_process>(options);
  }

  std::string scrape() {
    const auto r = http_once(metrics_port, "GET", "/metrics");
    EXPECT_EQ(r.status, 200U) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    return r.body;
  }

  // Scrapes until `series` reads `value` and, when given, `then` reads `then_value` too; the last
  // scrape.
  std::string scrape_until(const std::string& series, const std::string& value,
                           const std::string& then = {}, const std::string& then_value = {}) {
    std::string text;
    const bool reached = eventually(
        [&] {
          try {
            text = scrape();
          } catch (const std::exception&) {
            return false;  // not listening yet
          }
          return sample_value(text, series) == value &&
                 (then.empty() || sample_value(text, then) == then_value);
        },
        30s);
    EXPECT_TRUE(reached) << series << " never read " << value << "\n"
                         << text << read_text_file(propagator_log);
    return text;
  }

  bool refuses_connections(std::uint16_t port) {
    try {
      http_once(port, "GET", "/metrics");
      return false;
    } catch (const std::exception&) {
      return true;
    }
  }

  temp_dir dir{"evs-prop-metrics"};
  std::filesystem::path propagator_log = dir / "propagator.log";
  std::uint16_t api_port = unused_port();
  std::uint16_t metrics_port = unused_port();
};

TEST_F(PropagatorMetrics, AScrapeShowsTheBackoffThenMatchesTheDeliveredRunExactly) {
  auto propagator = start_propagator(std::to_string(metrics_port), std::to_string(2 * events));

  // No consumer yet: every attempt fails without an answer, and the events wait in the spool.
  scrape_until("evs_propagator_retrying", "1");
  // A scrape is not a snapshot: one that read the request counters just before the first failed
  // attempt and the gauges just after it shows the backoff with no failed request. The consumer
  // is still down, so the next scrape shows both.
  auto text = scrape();
  EXPECT_EQ(sample_value(text, "evs_propagator_events_generated_total"), std::to_string(events));
  EXPECT_EQ(sample_value(text, "evs_propagator_events_pending"), std::to_string(events));
  EXPECT_EQ(sample_value(text, "evs_propagator_events_delivered_total"), "0");
  EXPECT_NE(sample_value(text, R"(evs_propagator_requests_total{outcome="error"})"), "0");
  EXPECT_NE(sample_value(text, "evs_propagator_attempt"), "0");
  EXPECT_GT(std::stod(sample_value(text, "evs_propagator_backoff_seconds").value_or("0")), 0.0);

  auto consumer = start_consumer();
  text = scrape_until("evs_propagator_events_delivered_total", std::to_string(events),
                      "evs_propagator_retrying", "0");
  const auto expect = [&](const std::string& series, const std::string& value) {
    EXPECT_EQ(sample_value(text, series), value) << series << "\n" << text;
  };
  expect("evs_propagator_events_generated_total", std::to_string(events));
  expect("evs_propagator_events_pending", "0");
  expect("evs_propagator_events_dead_lettered_total", "0");
  // All of them in one request (MAX_BATCH 1000), after the failed ones.
  expect(R"(evs_propagator_requests_total{outcome="2xx"})", "1");
  expect(R"(evs_propagator_requests_total{outcome="retry"})", "0");
  expect(R"(evs_propagator_requests_total{outcome="dead_letter"})", "0");
  const auto failed = sample_value(text, R"(evs_propagator_requests_total{outcome="error"})");
  expect("evs_propagator_send_duration_seconds_count",
         std::to_string(1 + std::stoull(failed.value_or("0"))));
  expect("evs_propagator_retrying", "0");
  expect("evs_propagator_attempt", "0");
  expect("evs_propagator_backoff_seconds", "0");
  expect(R"(evs_build_info{version=")" EVS_VERSION R"("})", "1");
  EXPECT_GE(std::stoull(sample_value(text, "process_open_fds").value_or("0")), 3U);
  expect_promtool_accepts(EVS_PROMTOOL, text);

  // Other paths and methods are refused.
  EXPECT_EQ(http_once(metrics_port, "GET", "/").status, 404U);
  EXPECT_EQ(http_once(metrics_port, "POST", "/metrics").status, 405U);
  EXPECT_EQ(http_once(metrics_port, "GET", "/metrics", "body").status, 413U);

  // The listener stops with the propagator.
  propagator->send_signal(SIGTERM);
  const auto exit = propagator->wait_for(30s);
  ASSERT_TRUE(exit.has_value());
  EXPECT_TRUE(exit->exited && exit->code == 0) << read_text_file(propagator_log);
  EXPECT_TRUE(refuses_connections(metrics_port));
  consumer->send_signal(SIGTERM);
  consumer->wait_for(30s);
}

TEST_F(PropagatorMetrics, ACountedRunClosesItsMetricsPortWhenItEnds) {
  auto consumer = start_consumer();
  auto propagator = start_propagator(std::to_string(metrics_port), std::to_string(events));
  const auto exit = propagator->wait_for(30s);
  ASSERT_TRUE(exit.has_value());
  EXPECT_TRUE(exit->exited && exit->code == 0) << read_text_file(propagator_log);
  const auto log = read_text_file(propagator_log);
  EXPECT_NE(log.find("serving GET /metrics"), std::string::npos) << log;
  EXPECT_NE(log.find("count reached"), std::string::npos) << log;
  EXPECT_TRUE(refuses_connections(metrics_port));
  consumer->send_signal(SIGTERM);
  consumer->wait_for(30s);
}

TEST_F(PropagatorMetrics, WithoutMetricsPortNothingListens) {
  auto consumer = start_consumer();
  auto propagator = start_propagator(std::nullopt);
  ASSERT_TRUE(eventually([&] {
    return read_text_file(propagator_log).find("endpoint reachable") != std::string::npos;
  })) << read_text_file(propagator_log);
  EXPECT_EQ(listening_sockets(propagator->pid()), std::set<std::string>{});
  // The consumer's own listener is seen by the same check, so the check can see one.
  EXPECT_FALSE(listening_sockets(consumer->pid()).empty());
  EXPECT_EQ(read_text_file(propagator_log).find("serving GET /metrics"), std::string::npos);
  propagator->send_signal(SIGTERM);
  const auto exit = propagator->wait_for(30s);
  ASSERT_TRUE(exit.has_value());
  EXPECT_TRUE(exit->exited && exit->code == 0);
  consumer->send_signal(SIGTERM);
  consumer->wait_for(30s);
}

}  // namespace
}  // namespace evs::test
