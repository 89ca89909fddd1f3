#pragma once
// Every metric of the consumer, declared here once and rendered by render_metrics (after
// Envoy's stats structs). The I/O threads count into per-thread slots, the writer threads into
// commit_counters; a scrape adds them up and reads the gauges of the moment.
#include "consumer/router.hpp"
#include "metrics/metric_types.hpp"
#include "metrics/process_stats.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace evs::consumer {

// The shared building blocks (src/metrics), by their plain names in the consumer's code.
using metrics::bucket_bounds;
using metrics::counter;
using metrics::duration_buckets;
using metrics::histogram;
using metrics::per_thread;
using metrics::process_stats;

// Events and requests in one commit (MAX_BATCH and the writer's batch limit bound them).
struct group_event_buckets {
  static constexpr bucket_bounds<14> bounds = {1,   2,   5,    10,   20,   50,    100,
                                               200, 500, 1000, 2000, 5000, 10000, 20000};
};
struct group_request_buckets {
  static constexpr bucket_bounds<11> bounds = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000};
};

// Why a request to write events (POST /api/event, POST /api/events) was refused.
enum class reject_reason {
  validation,    // 415, 422: not JSON, or events that break the rules
  auth,          // 401, 403
  size,          // 413: body or batch too large
  backpressure,  // 503 + Retry-After: write queue full, storage unavailable, shutting down
  storage,       // 500
  protocol,      // 400, 408 and the like: not a well-formed HTTP request
};
inline constexpr std::size_t reject_reasons = 6;
std::string_view name_of(reject_reason reason);

// The reason a write endpoint's answer counts as a refusal; nullopt for a success or for
// another endpoint.
std::optional<reject_reason> rejection_of(endpoint e, unsigned status);

// One slot per route, and a last one for requests answered before a route was matched
// (unknown paths, wrong methods, malformed requests).
inline constexpr std::size_t route_slots = routed_endpoints + 1;
inline constexpr std::size_t unrouted_slot = routed_endpoints;
inline constexpr std::size_t status_classes = 5;  // 1xx to 5xx

// What an I/O thread counts; one per thread (see per_thread).
struct alignas(64) request_counters {
  std::array<std::array<counter, status_classes>, route_slots> answered;
  std::array<histogram<duration_buckets>, route_slots> duration;
  counter body_bytes;
  counter events_accepted;
  counter events_duplicate;
  std::array<counter, reject_reasons> rejected;
  counter storage_errors;  // failed store calls other than commits

  // One answered request: a few relaxed adds. `route` is empty when none was matched.
  void count_answer(std::optional<endpoint> route, unsigned status, std::size_t request_body_bytes,
                    std::chrono::nanoseconds elapsed) noexcept;
};

// What the batch writer's threads count, one commit (one store insert) at a time. Commits are
// far fewer than requests, so the writers share these.
struct commit_counters {
  histogram<duration_buckets> duration;
  histogram<group_event_buckets> events;
  histogram<group_request_buckets> requests;
  counter failed;
};

struct connection_gauges {
  std::uint64_t open = 0;
  std::uint64_t max = 0;  // MAX_CONNECTIONS
};

// Everything one scrape shows: the counters as they stand and the gauges of the moment.
struct metrics_sources {
  const per_thread<request_counters>& requests;
  const commit_counters& commits;
  std::uint64_t queued_events = 0;
  std::uint64_t queue_capacity = 0;  // WRITE_QUEUE_EVENTS
  bool storage_ready = false;
  std::optional<connection_gauges> connections;
  std::uint64_t token_cache_hits = 0;
  std::uint64_t token_verifications = 0;
  std::optional<process_stats> process;
  std::string_view version;
  std::string_view backend;  // sqlite or postgresql
};

// The text exposition (format 0.0.4) of every metric, HELP and TYPE lines included.
std::string render_metrics(const metrics_sources& m);

}  // namespace evs::consumer
