#include "propagator/scheduler.hpp"

#include "support/metrics_scrape.hpp"
#include "support/propagator_fakes.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <set>

namespace evs::propagator {
namespace {

using namespace std::chrono_literals;
using testing::answer;
using testing::scripted_sender;

class SchedulerTest : public ::testing::Test {
 protected:
  SchedulerTest() {
    cfg.interval_seconds = 1;
    cfg.backoff_base_seconds = 0.5;
    cfg.backoff_max_seconds = 30;
    cfg.spool_path = (dir / "spool.db").string();
    log::configure(log::format::text, log::level::warn);
  }

  run_stats run() { return run(stop); }

  run_stats run(stop_signal& stopper) {
    spool store{cfg.spool_path, cfg.spool_max_events};
    event_source source{
        {{"message", "\"hi\""}, {"user_joined", R"({"user":"bob"})"}}, pick_order::sequential, 1};
    scheduler s{cfg, {store, source, out, steady, steady, random, stopper, 7}};
    const auto stats = s.run();
    scrape = render_metrics(s.metrics(), std::nullopt, "test");
    return stats;
  }

  std::string metric(const std::string& series) const {
    return test::sample_value(scrape, series).value_or("missing");
  }

  // Every answer a 503; at request `n`, two stop signals (the second: stop at once).
  void endpoint_down_until_stopped_twice_at(std::size_t n) {
    for (int i = 0; i < 1000; ++i) out.script.push_back(answer(503));
    out.on_request = [this, n](std::size_t request) {
      if (request == n) {
        stop.request();
        stop.request();
      }
    };
  }

  std::size_t spool_pending() { return spool{cfg.spool_path, 100, spool::mode::reader}.pending(); }

  std::vector<std::vector<std::string>> requests() const {
    std::vector<std::vector<std::string>> out_ids;
    for (const auto& body : out.bodies) out_ids.push_back(scripted_sender::ids_in(body));
    return out_ids;
  }

  std::size_t unique_ids() const {
    std::set<std::string> ids;
    for (const auto& r : requests()) ids.insert(r.begin(), r.end());
    return ids.size();
  }

  test::temp_dir dir;
  config cfg = default_config();
  scripted_sender out;
  testing::fake_clock steady;
  testing::fixed_random random{0.5};
  stop_signal stop;
  std::string scrape;  // GET /metrics as it reads when run() returns
};

TEST_F(SchedulerTest, DeliversCountEventsAndStops) {
  cfg.count = 5;
  const auto stats = run();
  EXPECT_EQ(stats.generated, 5U);
  EXPECT_EQ(stats.delivered, 5U);
  EXPECT_EQ(stats.pending, 0U);
  EXPECT_EQ(out.bodies.size(), 5U);  // one event a second, each sent at once
  EXPECT_EQ(unique_ids(), 5U);
  EXPECT_EQ(spool_pending(), 0U);
}

TEST_F(SchedulerTest, EventsCarryTheirIdAndTime) {
  cfg.count = 1;
  run();
  const auto v = boost::json::parse(out.bodies.at(0)).as_array().at(0).as_object();
  EXPECT_EQ(v.at("event_id").as_string().size(), 36U);
  EXPECT_EQ(v.at("event_id").as_string()[14], '7');  // UUIDv7
  EXPECT_EQ(v.at("occurred_at").as_string(), "2024-05-01T12:30:00.000000Z");
  EXPECT_EQ(v.at("event_type").as_string(), "message");
  EXPECT_EQ(v.at("event_payload").as_string(), "hi");
}

TEST_F(SchedulerTest, RetriesSendTheSameEventIdWithBackoff) {
  cfg.count = 1;
  out.script = {answer(503), answer(0), answer(500), answer(408)};
  const auto stats = run();
  EXPECT_EQ(stats.delivered, 1U);
  EXPECT_EQ(stats.failed_attempts, 4U);
  ASSERT_EQ(out.bodies.size(), 5U);
  EXPECT_EQ(unique_ids(), 1U);
  // Full jitter at 0.5 of a ceiling that doubles from 0.5 s.
  EXPECT_EQ(steady.slept(),
            (std::vector<testing::fake_clock::duration>{250ms, 500ms, 1000ms, 2000ms}));
}

TEST_F(SchedulerTest, RetryAfterIsHonoured) {
  cfg.count = 1;
  out.script = {answer(429, "", "7"), answer(503, "", "2")};
  std::vector<runtime::clock::steady_time> sent;
  out.on_request = [&](std::size_t) { sent.push_back(steady.steady_now()); };
  run();
  ASSERT_EQ(sent.size(), 3U);
  EXPECT_EQ(sent[1] - sent[0], 7s);  // status lines in between do not shorten the wait
  EXPECT_EQ(sent[2] - sent[1], 2s);
}

TEST_F(SchedulerTest, ClientErrorsMoveEventsToDeadLetters) {
  cfg.count = 3;
  out.script = {answer(400, R"({"detail":"Bad request"})")};
  const auto stats = run();
  EXPECT_EQ(stats.delivered, 2U);
  EXPECT_EQ(stats.dead_lettered, 1U);
  EXPECT_EQ(stats.pending, 0U);
  spool store{cfg.spool_path, 100, spool::mode::reader};
  const auto letters = store.dead_letters();
  ASSERT_EQ(letters.size(), 1U);
  EXPECT_EQ(letters[0].http_status, 400);
  EXPECT_EQ(letters[0].response_body, R"({"detail":"Bad request"})");
  EXPECT_EQ(letters[0].event.event_id, requests().at(0).at(0));
  EXPECT_EQ(unique_ids(), 3U);
  EXPECT_TRUE(steady.slept().size() <= 3U);  // no backoff after a final answer
}

TEST_F(SchedulerTest, A422DeadLettersOnlyTheBlamedEvents) {
  cfg.count = 3;
  cfg.batch_size = 3;
  out.script = {
      answer(422, R"({"detail":[{"loc":["body",1,"event_type"],"msg":"x","type":"y"}]})")};
  const auto stats = run();
  EXPECT_EQ(stats.dead_lettered, 1U);
  EXPECT_EQ(stats.delivered, 2U);
  const auto r = requests();
  ASSERT_EQ(r.size(), 2U);
  EXPECT_EQ(r[1], (std::vector<std::string>{r[0][0], r[0][2]}));
}

TEST_F(SchedulerTest, A413HalvesTheBatchInsteadOfDeadLettering) {
  cfg.count = 8;
  cfg.batch_size = 8;
  out.script = {answer(413, R"({"detail":"too many"})")};
  const auto stats = run();
  EXPECT_EQ(stats.dead_lettered, 0U);
  EXPECT_EQ(stats.delivered, 8U);
  const auto r = requests();
  ASSERT_EQ(r.size(), 3U);
  EXPECT_EQ(r[0].size(), 8U);
  EXPECT_EQ(r[1].size(), 4U);
  EXPECT_EQ(r[2].size(), 4U);
}

TEST_F(SchedulerTest, BatchesRespectMaxBatchAndIntervalZeroKeepsUp) {
  cfg.interval_seconds = 0;
  cfg.max_batch = 10;
  cfg.count = 25;
  const auto stats = run();
  EXPECT_EQ(stats.delivered, 25U);
  const auto r = requests();
  ASSERT_EQ(r.size(), 3U);
  EXPECT_EQ(r[0].size(), 10U);
  EXPECT_EQ(r[1].size(), 10U);
  EXPECT_EQ(r[2].size(), 5U);
  EXPECT_EQ(unique_ids(), 25U);
}

TEST_F(SchedulerTest, IntervalZeroDoesNotFillTheSpoolWhileTheEndpointIsDown) {
  cfg.interval_seconds = 0;
  cfg.max_batch = 10;
  for (int i = 0; i < 50; ++i) out.script.push_back(answer(0));
  out.on_request = [&](std::size_t n) {
    if (n == 50) stop.request();
  };
  cfg.shutdown_timeout_seconds = 0;
  const auto stats = run();
  EXPECT_EQ(stats.generated, 10U);
  EXPECT_EQ(stats.pending, 10U);
}

TEST_F(SchedulerTest, GenerationGoesOnWhileTheEndpointIsDownThenTheBacklogDrains) {
  cfg.backoff_max_seconds = 4;
  for (int i = 0; i < 10; ++i) out.script.push_back(answer(503));
  std::size_t largest = 0;
  out.on_request = [&](std::size_t n) {
    largest = std::max(largest, scripted_sender::ids_in(out.bodies.back()).size());
    if (n == 14) stop.request();
  };
  const auto stats = run();
  EXPECT_GT(largest, 5U);  // the backlog went out in one request
  EXPECT_EQ(stats.pending, 0U);
  EXPECT_EQ(stats.delivered, stats.generated);
  EXPECT_EQ(spool_pending(), 0U);
  EXPECT_EQ(stats.generated, unique_ids());
}

TEST_F(SchedulerTest, StopKeepsUndeliveredEventsAfterTheShutdownTimeout) {
  cfg.shutdown_timeout_seconds = 10;
  cfg.backoff_max_seconds = 1;
  for (int i = 0; i < 1000; ++i) out.script.push_back(answer(503));
  out.on_request = [&](std::size_t n) {
    if (n == 3) stop.request();
  };
  const auto start = steady.steady_now();
  const auto stats = run();
  EXPECT_GT(stats.pending, 0U);
  EXPECT_EQ(spool_pending(), stats.pending);
  EXPECT_EQ(stats.delivered, 0U);
  // Bounded: stops at the deadline, and no request outlives it.
  EXPECT_LT(steady.steady_now() - start, 20s);
  EXPECT_LE(out.timeouts.back(), 10'000ms);
  const auto generated_before_stop = stats.generated;
  EXPECT_LE(generated_before_stop, 5U);
}

TEST_F(SchedulerTest, ASecondStopEndsAtOnce) {
  endpoint_down_until_stopped_twice_at(2);
  const auto stats = run();
  EXPECT_EQ(out.bodies.size(), 2U);
  EXPECT_GT(stats.pending, 0U);
}

TEST_F(SchedulerTest, AFullSpoolPausesGeneration) {
  cfg.spool_max_events = 3;
  for (int i = 0; i < 1000; ++i) out.script.push_back(answer(503));
  cfg.backoff_max_seconds = 2;
  out.on_request = [&](std::size_t n) {
    if (n == 20) stop.request();
  };
  cfg.shutdown_timeout_seconds = 0;
  const auto stats = run();
  EXPECT_EQ(stats.generated, 3U);
  EXPECT_EQ(stats.pending, 3U);
}

TEST_F(SchedulerTest, ARestartResumesFromTheSpoolOldestFirst) {
  cfg.shutdown_timeout_seconds = 0;
  for (int i = 0; i < 3; ++i) out.script.push_back(answer(0));
  out.on_request = [&](std::size_t n) {
    if (n == 3) stop.request();
  };
  const auto first = run();
  ASSERT_GT(first.pending, 0U);
  const auto left = requests().back();

  out = scripted_sender{};
  stop_signal fresh;
  cfg.count = first.pending;
  const auto second = run(fresh);
  EXPECT_EQ(second.generated, 0U);
  EXPECT_EQ(second.delivered, first.pending);
  EXPECT_EQ(requests().front(), left);
}

TEST_F(SchedulerTest, DuplicatesReportedByTheEndpointAreCounted) {
  cfg.count = 1;
  out.script = {answer(200, R"({"status_code":"200","accepted":0,"duplicates":1})")};
  const auto stats = run();
  EXPECT_EQ(stats.delivered, 1U);
  EXPECT_EQ(stats.duplicates, 1U);
}

TEST_F(SchedulerTest, MetricsCountEveryRequestByOutcome) {
  cfg.count = 1;
  out.script = {answer(503), answer(0), answer(500), answer(408)};
  run();
  EXPECT_EQ(metric("evs_propagator_events_generated_total"), "1");
  EXPECT_EQ(metric("evs_propagator_events_delivered_total"), "1");
  EXPECT_EQ(metric("evs_propagator_events_dead_lettered_total"), "0");
  EXPECT_EQ(metric("evs_propagator_events_pending"), "0");
  EXPECT_EQ(metric(R"(evs_propagator_requests_total{outcome="2xx"})"), "1");
  EXPECT_EQ(metric(R"(evs_propagator_requests_total{outcome="retry"})"), "3");
  EXPECT_EQ(metric(R"(evs_propagator_requests_total{outcome="error"})"), "1");
  EXPECT_EQ(metric(R"(evs_propagator_requests_total{outcome="dead_letter"})"), "0");
  EXPECT_EQ(metric("evs_propagator_send_duration_seconds_count"), "5");
  // Delivered in the end: no backoff left.
  EXPECT_EQ(metric("evs_propagator_retrying"), "0");
  EXPECT_EQ(metric("evs_propagator_attempt"), "0");
  EXPECT_EQ(metric("evs_propagator_backoff_seconds"), "0");
}

TEST_F(SchedulerTest, MetricsCountDeadLettersAndA413AsARetry) {
  cfg.count = 3;
  out.script = {answer(400, R"({"detail":"Bad request"})")};
  run();
  EXPECT_EQ(metric("evs_propagator_events_generated_total"), "3");
  EXPECT_EQ(metric("evs_propagator_events_delivered_total"), "2");
  EXPECT_EQ(metric("evs_propagator_events_dead_lettered_total"), "1");
  EXPECT_EQ(metric(R"(evs_propagator_requests_total{outcome="dead_letter"})"), "1");
  EXPECT_EQ(metric(R"(evs_propagator_requests_total{outcome="2xx"})"), "2");

  cfg.count = 8;
  cfg.batch_size = 8;
  out.bodies.clear();
  out.script = {answer(413, R"({"detail":"too many"})")};
  cfg.spool_path = (dir / "second.db").string();
  run();
  EXPECT_EQ(metric(R"(evs_propagator_requests_total{outcome="retry"})"), "1");
  EXPECT_EQ(metric(R"(evs_propagator_requests_total{outcome="2xx"})"), "2");
  EXPECT_EQ(metric("evs_propagator_events_dead_lettered_total"), "0");
}

TEST_F(SchedulerTest, MetricsShowTheBackoffStateWhileRetrying) {
  endpoint_down_until_stopped_twice_at(2);
  const auto stats = run();
  EXPECT_EQ(metric("evs_propagator_retrying"), "1");
  EXPECT_EQ(metric("evs_propagator_attempt"), "2");
  // Full jitter at 0.5 of the second ceiling, 1 s.
  EXPECT_EQ(metric("evs_propagator_backoff_seconds"), "0.5");
  EXPECT_EQ(metric("evs_propagator_events_pending"), std::to_string(stats.pending));
  EXPECT_EQ(metric("evs_propagator_events_delivered_total"), "0");
}

}  // namespace
}  // namespace evs::propagator
