#include "consumer/metrics.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace evs::consumer {
namespace {

using namespace std::chrono_literals;

bool has_line(const std::string& text, const std::string& line) {
  return text.starts_with(line + "\n") || text.find("\n" + line + "\n") != std::string::npos;
}

class Metrics : public ::testing::Test {
 protected:
  std::string render() {
    return render_metrics({.requests = requests_,
                           .commits = commits_,
                           .queued_events = 12,
                           .queue_capacity = 100'000,
                           .storage_ready = true,
                           .connections = connection_gauges{3, 1000},
                           .token_cache_hits = 5,
                           .token_verifications = 2,
                           .process = process_stats{1.5, 4096, 8192, 1'700'000'000, 9, 1024},
                           .version = "1.2.3",
                           .backend = "sqlite"});
  }

  per_thread<request_counters> requests_{2};
  commit_counters commits_;
};

TEST_F(Metrics, AnAnsweredRequestCountsUnderItsRouteAndStatusClass) {
  auto& slot = requests_.local();
  slot.count_answer(endpoint::ingest, 200, 40, 2ms);
  slot.count_answer(endpoint::ingest, 204, 0, 2ms);
  slot.count_answer(endpoint::get_event, 404, 0, 1ms);
  slot.count_answer(endpoint::not_found, 404, 0, 1ms);
  slot.count_answer(std::nullopt, 400, 0, 1ms);
  const auto text = render();
  EXPECT_TRUE(
      has_line(text, R"(evs_http_requests_total{method="POST",route="/api/event",code="2xx"} 2)"))
      << text;
  EXPECT_TRUE(has_line(
      text, R"(evs_http_requests_total{method="GET",route="/api/events/{id}",code="4xx"} 1)"));
  // Unknown paths and requests refused before routing share one series.
  EXPECT_TRUE(has_line(
      text, R"(evs_http_requests_total{method="unmatched",route="unmatched",code="4xx"} 2)"));
  // 2xx, 4xx and 5xx are there from the start; 1xx and 3xx only once seen.
  EXPECT_TRUE(
      has_line(text, R"(evs_http_requests_total{method="GET",route="/metrics",code="5xx"} 0)"));
  EXPECT_EQ(text.find(R"(code="3xx")"), std::string::npos);
  EXPECT_TRUE(has_line(text, "evs_http_request_body_bytes_total 40"));
}

TEST_F(Metrics, DurationsFallIntoTheirBucketsWithSumAndCount) {
  auto& slot = requests_.local();
  slot.count_answer(endpoint::health, 200, 0, 80us);   // <= 0.0001
  slot.count_answer(endpoint::health, 200, 0, 100us);  // <= 0.0001: bounds are inclusive
  slot.count_answer(endpoint::health, 200, 0, 3ms);    // <= 0.005
  slot.count_answer(endpoint::health, 200, 0, 20s);    // +Inf only
  const auto text = render();
  const std::string labels = R"(method="GET",route="/healthz")";
  const auto bucket = [&](const char* le, int n) {
    return "evs_http_request_duration_seconds_bucket{" + labels + ",le=\"" + le + "\"} " +
           std::to_string(n);
  };
  EXPECT_TRUE(has_line(text, bucket("0.0001", 2))) << text;
  EXPECT_TRUE(has_line(text, bucket("0.0025", 2)));
  EXPECT_TRUE(has_line(text, bucket("0.005", 3)));
  EXPECT_TRUE(has_line(text, bucket("10", 3)));
  EXPECT_TRUE(has_line(text, bucket("+Inf", 4)));
  EXPECT_TRUE(has_line(text, "evs_http_request_duration_seconds_sum{" + labels + "} 20.00318"));
  EXPECT_TRUE(has_line(text, "evs_http_request_duration_seconds_count{" + labels + "} 4"));
}

TEST_F(Metrics, SlotsOfEveryThreadAreAddedUp) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([this] {
      for (int i = 0; i < 1000; ++i) requests_.local().count_answer(endpoint::ingest, 200, 1, 1ms);
    });
  for (auto& t : threads) t.join();
  const auto text = render();
  EXPECT_TRUE(has_line(
      text, R"(evs_http_requests_total{method="POST",route="/api/event",code="2xx"} 4000)"));
  EXPECT_TRUE(has_line(text, "evs_http_request_body_bytes_total 4000"));
}

TEST_F(Metrics, RefusedWritesCountByReason) {
  EXPECT_EQ(rejection_of(endpoint::ingest, 200), std::nullopt);
  EXPECT_EQ(rejection_of(endpoint::list_events, 401), std::nullopt);  // not a write
  EXPECT_EQ(rejection_of(endpoint::ingest, 401), reject_reason::auth);
  EXPECT_EQ(rejection_of(endpoint::create_event, 403), reject_reason::auth);
  EXPECT_EQ(rejection_of(endpoint::ingest, 413), reject_reason::size);
  EXPECT_EQ(rejection_of(endpoint::ingest, 415), reject_reason::validation);
  EXPECT_EQ(rejection_of(endpoint::ingest, 422), reject_reason::validation);
  EXPECT_EQ(rejection_of(endpoint::ingest, 503), reject_reason::backpressure);
  EXPECT_EQ(rejection_of(endpoint::ingest, 500), reject_reason::storage);
  EXPECT_EQ(rejection_of(endpoint::ingest, 408), reject_reason::protocol);

  auto& slot = requests_.local();
  slot.count_answer(endpoint::ingest, 422, 10, 1ms);
  slot.count_answer(endpoint::ingest, 422, 10, 1ms);
  slot.count_answer(endpoint::create_event, 401, 0, 1ms);
  slot.count_answer(endpoint::list_events, 401, 0, 1ms);
  const auto text = render();
  EXPECT_TRUE(has_line(text, R"(evs_event_requests_rejected_total{reason="validation"} 2)"));
  EXPECT_TRUE(has_line(text, R"(evs_event_requests_rejected_total{reason="auth"} 1)"));
  EXPECT_TRUE(has_line(text, R"(evs_event_requests_rejected_total{reason="backpressure"} 0)"));
}

TEST_F(Metrics, CommitsGaugesProcessAndBuildInfoAreShown) {
  commits_.events.observe(3);
  commits_.events.observe(700);
  commits_.requests.observe(2);
  commits_.duration.observe(1'500'000);
  commits_.failed.add();
  requests_.local().storage_errors.add(2);
  const auto text = render();
  for (const char* line : {
           R"(evs_commit_group_events_bucket{le="5"} 1)",
           R"(evs_commit_group_events_bucket{le="1000"} 2)",
           "evs_commit_group_events_sum 703",
           "evs_commit_group_requests_count 1",
           R"(evs_commit_duration_seconds_bucket{le="0.001"} 0)",
           R"(evs_commit_duration_seconds_bucket{le="0.0025"} 1)",
           "evs_commit_duration_seconds_sum 0.0015",
           "evs_storage_errors_total 3",
           "evs_storage_ready 1",
           "evs_write_queue_events 12",
           "evs_write_queue_capacity_events 100000",
           "evs_http_connections_open 3",
           "evs_http_connections_max 1000",
           "evs_token_cache_hits_total 5",
           "evs_token_verifications_total 2",
           "process_cpu_seconds_total 1.5",
           "process_resident_memory_bytes 4096",
           "process_start_time_seconds 1700000000",
           "process_open_fds 9",
           R"(evs_build_info{version="1.2.3",backend="sqlite"} 1)",
       })
    EXPECT_TRUE(has_line(text, line)) << line << "\n" << text;
}

TEST_F(Metrics, EveryFamilyHasHelpAndTypeBeforeItsSamples) {
  requests_.local().count_answer(endpoint::ingest, 200, 1, 1ms);
  const auto text = render();
  std::string family;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    ASSERT_NE(end, std::string::npos) << "the text ends with a line feed";
    const auto line = text.substr(start, end - start);
    start = end + 1;
    if (line.starts_with("# HELP ")) {
      family = line.substr(7, line.find(' ', 7) - 7);
      continue;
    }
    if (line.starts_with("# TYPE ")) {
      EXPECT_EQ(line.substr(7, family.size() + 1), family + " ") << line;
      continue;
    }
    ASSERT_FALSE(family.empty()) << line;
    EXPECT_TRUE(line.starts_with(family)) << family << ": " << line;
  }
}

}  // namespace
}  // namespace evs::consumer
