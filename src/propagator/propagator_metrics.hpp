#pragma once
// Every metric of the propagator, declared here once and rendered by render_metrics (as the
// consumer's are). The run loop is the only writer and the metrics listener's thread reads
// while it runs, so every value is an atomic.
#include "metrics/metric_types.hpp"
#include "metrics/process_stats.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace evs::propagator {

// What became of one request: the outcome label of evs_propagator_requests_total.
enum class request_outcome {
  delivered,    // 2xx: its events left the spool
  retry,        // 408, 429, 5xx, or 413 to a batch sent again in halves: its events stay
  error,        // no answer (refused, reset, timed out): its events stay
  dead_letter,  // another 4xx: events moved to the dead letters
};
inline constexpr std::size_t request_outcomes = 4;
std::string_view name_of(request_outcome outcome);

struct propagator_metrics {
  metrics::counter generated;
  metrics::counter delivered;
  metrics::counter dead_lettered;
  std::array<metrics::counter, request_outcomes> requests;
  metrics::histogram<metrics::duration_buckets> send_duration;
  // Gauges the loop sets as it changes them, so a scrape costs the spool nothing.
  metrics::gauge pending;              // events in the spool
  metrics::gauge retrying;             // 1 from a failed send until one is taken again
  metrics::gauge attempt;              // failed attempts in a row
  metrics::gauge backoff_nanoseconds;  // the wait before the next attempt; 0 when none

  // One request answered (or not): a few relaxed adds.
  void count_request(request_outcome outcome, std::chrono::nanoseconds elapsed) noexcept;
};

// The text exposition (format 0.0.4) of every metric, HELP and TYPE lines included.
std::string render_metrics(const propagator_metrics& m,
                           const std::optional<metrics::process_stats>& process,
                           std::string_view version);

}  // namespace evs::propagator
