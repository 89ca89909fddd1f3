// The propagator's promise end to end, with the real programs: event-propagator sends fast to
// event-consumer; the consumer is killed with SIGKILL for a while and restarted on the same
// database, then the propagator is killed with SIGKILL and restarted on the same spool. Every
// event the propagator generated must be stored exactly once.
#include "propagator/spool.hpp"
#include "support/consumer_process.hpp"
#include "support/process.hpp"
#include "support/scripted_server.hpp"
#include "support/temp_dir.hpp"
#include "support/tokens.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <csignal>
#include <regex>
#include <set>

namespace evs::test {
namespace {

using namespace std::chrono_literals;

std::set<std::string> generated_ids(const std::string& log) {
  static const std::regex generated{R"(debug generated event_id=([0-9a-f-]{36}))"};
  std::set<std::string> ids;
  for (std::sregex_iterator it{log.begin(), log.end(), generated}, end; it != end; ++it)
    ids.insert((*it)[1].str());
  return ids;
}

class PropagatorEndToEnd : public ::testing::Test {
 protected:
  std::unique_ptr<child_process> start_consumer() {
    ++consumer_runs_;
    process_options options;
    options.program = EVS_CONSUMER_BINARY;
    options.cwd = dir.path();
    options.stderr_path = dir / ("consumer-" + std::to_string(consumer_runs_) + ".log");
    options.env = {{"SECRET_KEY", std::string{test_secret}},
                   {"ALGORITHM", "HS256"},
                   {"HOST", "127.0.0.1"},
                   {"PORT", std::to_string(port)},
                   {"DB_PATH", db_path.string()},
                   {"DATABASE_URL", std::nullopt},
                   {"DB_HOSTNAME", std::nullopt},
                   {"LOG_LEVEL", "info"}};
    auto consumer = std::make_unique<child_process>(options);
    const auto log = options.stderr_path;
    EXPECT_TRUE(eventually([&] {
      return read_text_file(log).find("listening") != std::string::npos;
    })) << read_text_file(log);
    return consumer;
  }

  std::unique_ptr<child_process> start_propagator() {
    ++propagator_runs_;
    process_options options;
    options.program = EVS_PROPAGATOR_BIN;
    options.cwd = dir.path();
    options.stderr_path = propagator_log(propagator_runs_);
    options.env = {{"API_URL", "http://127.0.0.1:" + std::to_string(port) + "/api/event"},
                   {"API_TOKEN", make_token("events:write")},
                   {"SPOOL_PATH", (dir / "spool" / "propagator.db").string()},
                   {"INTERVAL_SECONDS", "0.01"},
                   {"BATCH_SIZE", "5"},
                   {"BACKOFF_BASE_SECONDS", "0.05"},
                   {"BACKOFF_MAX_SECONDS", "0.5"},
                   {"REQUEST_TIMEOUT_SECONDS", "5"},
                   {"STATUS_INTERVAL_SECONDS", "1"},
                   {"SHUTDOWN_TIMEOUT_SECONDS", "15"},
                   {"EVENTS_FILE", std::nullopt},
                   {"LOG_FORMAT", "text"},
                   {"LOG_LEVEL", "debug"}};
    return std::make_unique<child_process>(options);
  }

  std::filesystem::path propagator_log(int run) const {
    return dir / ("propagator-" + std::to_string(run) + ".log");
  }

  // SIGTERM both (the propagator drains first), then compare what was generated with what
  // was stored.
  void finish_and_check(child_process& propagator, child_process& consumer, int propagator_runs,
                        std::size_t min_generated) {
    propagator.send_signal(SIGTERM);
    const auto propagator_exit = propagator.wait_for(30s);
    ASSERT_TRUE(propagator_exit.has_value());
    EXPECT_TRUE(propagator_exit->exited && propagator_exit->code == 0)
        << read_text_file(propagator_log(propagator_runs));
    consumer.send_signal(SIGTERM);
    const auto consumer_exit = consumer.wait_for(30s);
    ASSERT_TRUE(consumer_exit.has_value());
    EXPECT_TRUE(consumer_exit->exited && consumer_exit->code == 0);

    // Nothing left behind: the spool is empty and nothing was refused.
    {
      propagator::spool spool{(dir / "spool" / "propagator.db").string(), 1,
                              propagator::spool::mode::reader};
      EXPECT_EQ(spool.pending(), 0U);
      EXPECT_EQ(spool.dead_letter_count(), 0U);
    }

    const auto stored_map = sqlite_stored_event_ids(db_path);
    std::set<std::string> generated;
    for (int run = 1; run <= propagator_runs; ++run) {
      const auto ids = generated_ids(read_text_file(propagator_log(run)));
      generated.insert(ids.begin(), ids.end());
    }
    ASSERT_GE(generated.size(), min_generated);

    std::size_t missing = 0;
    for (const auto& id : generated) missing += stored_map.contains(id) ? 0U : 1U;
    EXPECT_EQ(missing, 0U) << "generated events that were never stored";
    for (const auto& [id, rows] : stored_map) EXPECT_EQ(rows, 1) << id;
    // The only stored ids not in the logs are those the propagator committed to its spool in
    // the instant between the commit and the log lines when it was killed: one generation
    // transaction, which after an outage may catch up to a whole request's worth (MAX_BATCH).
    std::size_t unlogged = 0;
    for (const auto& [id, rows] : stored_map) unlogged += generated.contains(id) ? 0U : 1U;
    EXPECT_LE(unlogged, 1000U);
  }

  std::size_t stored() const { return sqlite_stored_event_ids(db_path).size(); }

  bool stored_at_least(std::size_t n) {
    return eventually([&] { return stored() >= n; }, 30s);
  }

  temp_dir dir{"evs-prop-e2e"};
  std::filesystem::path db_path = dir / "data" / "events.db";
  // Fixed for the test: a restarted consumer must come back where the propagator sends.
  std::uint16_t port = unused_port();
  int consumer_runs_ = 0;
  int propagator_runs_ = 0;
};

TEST_F(PropagatorEndToEnd, EveryGeneratedEventIsStoredExactlyOnceAcrossKills) {
  auto consumer = start_consumer();
  auto propagator = start_propagator();
  ASSERT_TRUE(stored_at_least(100)) << read_text_file(propagator_log(1));

  // The consumer dies; the propagator keeps generating into its spool and retries.
  consumer->send_signal(SIGKILL);
  consumer->wait_for(10s);
  ASSERT_TRUE(eventually([&] {
    const auto log = read_text_file(propagator_log(1));
    return log.find("delivery failed, will retry") != std::string::npos;
  }));
  // The outage lasts until the propagator has failed eight times: a backlog to catch up on.
  ASSERT_TRUE(eventually([&] {
    return read_text_file(propagator_log(1)).find("attempt=8") != std::string::npos;
  })) << read_text_file(propagator_log(1));
  const auto during_outage = stored();

  consumer = start_consumer();
  ASSERT_TRUE(eventually(
      [&] {
        const auto log = read_text_file(propagator_log(1));
        return log.find("endpoint is taking events again") != std::string::npos;
      },
      30s))
      << read_text_file(propagator_log(1));
  ASSERT_TRUE(stored_at_least(during_outage + 200));

  // The propagator dies mid-flight and comes back on the same spool.
  propagator->send_signal(SIGKILL);
  propagator->wait_for(10s);
  const auto at_kill = stored();
  propagator = start_propagator();
  // Requests the killed propagator had in flight may still commit and raise the count, so
  // also wait for the new run to deliver something itself.
  ASSERT_TRUE(eventually([&] {
    return read_text_file(propagator_log(2)).find(" delivered ") != std::string::npos;
  })) << read_text_file(propagator_log(2));
  ASSERT_TRUE(stored_at_least(at_kill + 200)) << read_text_file(propagator_log(2));

  finish_and_check(*propagator, *consumer, 2, 500);
}

TEST_F(PropagatorEndToEnd, APropagatorKilledDuringAnOutageResumesItsBacklog) {
  auto consumer = start_consumer();
  auto propagator = start_propagator();
  ASSERT_TRUE(stored_at_least(50));
  consumer->send_signal(SIGKILL);
  consumer->wait_for(10s);
  ASSERT_TRUE(eventually([&] {
    // Four failed attempts: a few hundred milliseconds of backlog in the spool.
    return read_text_file(propagator_log(1)).find("attempt=4") != std::string::npos;
  })) << read_text_file(propagator_log(1));
  propagator->send_signal(SIGKILL);  // with a backlog in its spool
  propagator->wait_for(10s);
  propagator = start_propagator();
  ASSERT_TRUE(eventually([&] {
    return read_text_file(propagator_log(2)).find("resuming events left in the spool") !=
           std::string::npos;
  })) << read_text_file(propagator_log(2));
  consumer = start_consumer();
  const auto after_restart = stored();
  ASSERT_TRUE(stored_at_least(after_restart + 100)) << read_text_file(propagator_log(2));
  finish_and_check(*propagator, *consumer, 2, 100);
}

}  // namespace
}  // namespace evs::test
