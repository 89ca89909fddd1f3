#include "propagator/propagator_metrics.hpp"

#include "support/metrics_scrape.hpp"

#include <gtest/gtest.h>

#include <string>

namespace evs::propagator {
namespace {

using namespace std::chrono_literals;

class PropagatorMetrics : public ::testing::Test {
 protected:
  std::string render() { return render_metrics(m_, process_, "1.2.3"); }
  std::string value(const std::string& series) {
    return test::sample_value(render(), series).value_or("missing");
  }

  propagator_metrics m_;
  std::optional<metrics::process_stats> process_;
};

TEST_F(PropagatorMetrics, CountersAndGaugesShowWhatWasCounted) {
  m_.generated.add(12);
  m_.delivered.add(10);
  m_.dead_lettered.add(1);
  m_.pending.set(1);
  m_.retrying.set(1);
  m_.attempt.set(3);
  m_.backoff_nanoseconds.set(1'250'000'000);
  EXPECT_EQ(value("evs_propagator_events_generated_total"), "12");
  EXPECT_EQ(value("evs_propagator_events_delivered_total"), "10");
  EXPECT_EQ(value("evs_propagator_events_dead_lettered_total"), "1");
  EXPECT_EQ(value("evs_propagator_events_pending"), "1");
  EXPECT_EQ(value("evs_propagator_retrying"), "1");
  EXPECT_EQ(value("evs_propagator_attempt"), "3");
  EXPECT_EQ(value("evs_propagator_backoff_seconds"), "1.25");
  EXPECT_EQ(value(R"(evs_build_info{version="1.2.3"})"), "1");
}

TEST_F(PropagatorMetrics, RequestsCountByOutcomeWithTheirDuration) {
  m_.count_request(request_outcome::delivered, 3ms);
  m_.count_request(request_outcome::delivered, 20ms);
  m_.count_request(request_outcome::retry, 2s);
  m_.count_request(request_outcome::error, 30s);
  EXPECT_EQ(value(R"(evs_propagator_requests_total{outcome="2xx"})"), "2");
  EXPECT_EQ(value(R"(evs_propagator_requests_total{outcome="retry"})"), "1");
  EXPECT_EQ(value(R"(evs_propagator_requests_total{outcome="error"})"), "1");
  // Shown before the first one, so that rate() sees its first increase.
  EXPECT_EQ(value(R"(evs_propagator_requests_total{outcome="dead_letter"})"), "0");
  EXPECT_EQ(value(R"(evs_propagator_send_duration_seconds_bucket{le="0.005"})"), "1");
  EXPECT_EQ(value(R"(evs_propagator_send_duration_seconds_bucket{le="0.025"})"), "2");
  EXPECT_EQ(value(R"(evs_propagator_send_duration_seconds_bucket{le="2.5"})"), "3");
  EXPECT_EQ(value(R"(evs_propagator_send_duration_seconds_bucket{le="+Inf"})"), "4");
  EXPECT_EQ(value("evs_propagator_send_duration_seconds_sum"), "32.023");
  EXPECT_EQ(value("evs_propagator_send_duration_seconds_count"), "4");
}

TEST_F(PropagatorMetrics, ProcessMetricsAppearWhenRead) {
  EXPECT_EQ(value("process_open_fds"), "missing");
  process_ = metrics::process_stats{1.5, 4096, 8192, 1'700'000'000, 9, 1024};
  EXPECT_EQ(value("process_open_fds"), "9");
  EXPECT_EQ(value("process_cpu_seconds_total"), "1.5");
}

TEST_F(PropagatorMetrics, EveryFamilyHasHelpAndTypeBeforeItsSamples) {
  process_ = metrics::process_stats{};
  const auto text = render();
  std::string family;
  std::size_t samples = 0;
  for (std::size_t at = 0; at < text.size();) {
    const auto end = text.find('\n', at);
    const auto line = text.substr(at, end - at);
    at = end + 1;
    if (line.starts_with("# HELP ")) {
      family = line.substr(7, line.find(' ', 7) - 7);
      ASSERT_TRUE(text.compare(at, 7 + family.size(), "# TYPE " + family) == 0) << line;
      continue;
    }
    if (line.starts_with("# TYPE ")) continue;
    ++samples;
    EXPECT_TRUE(line.starts_with(family)) << line << " outside family " << family;
    EXPECT_TRUE(family.starts_with("evs_") || family.starts_with("process_")) << family;
  }
  EXPECT_GE(samples, 30U);
}

}  // namespace
}  // namespace evs::propagator
