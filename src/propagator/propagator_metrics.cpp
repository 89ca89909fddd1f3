#include "propagator/propagator_metrics.hpp"

#include "metrics/exposition.hpp"
#include "metrics/families.hpp"

#include <algorithm>
#include <cstdint>

namespace evs::propagator {

std::string_view name_of(request_outcome outcome) {
  switch (outcome) {
    case request_outcome::delivered: return "2xx";
    case request_outcome::retry: return "retry";
    case request_outcome::error: return "error";
    case request_outcome::dead_letter: return "dead_letter";
  }
  return "error";
}

void propagator_metrics::count_request(request_outcome outcome,
                                       std::chrono::nanoseconds elapsed) noexcept {
  requests[static_cast<std::size_t>(outcome)].add();
  send_duration.observe(static_cast<std::uint64_t>(std::max<std::int64_t>(0, elapsed.count())));
}

std::string render_metrics(const propagator_metrics& m,
                           const std::optional<metrics::process_stats>& process,
                           std::string_view version) {
  metrics::exposition out;
  out.single("evs_propagator_events_generated_total", "counter",
             "Events generated and written to the spool.", m.generated.value());
  out.single("evs_propagator_events_delivered_total", "counter",
             "Events the endpoint took (2xx) and that left the spool.", m.delivered.value());
  out.single("evs_propagator_events_dead_lettered_total", "counter",
             "Events the endpoint refused for good, moved to the spool's dead letters.",
             m.dead_lettered.value());
  out.single("evs_propagator_events_pending", "gauge",
             "Events in the spool waiting to be delivered.", m.pending.value());

  out.family("evs_propagator_requests_total", "counter",
             "Requests sent, by outcome: 2xx (delivered), retry (408, 429, 5xx, or 413 to a "
             "batch sent again in halves), error (no answer), dead_letter (another 4xx).");
  for (std::size_t o = 0; o < request_outcomes; ++o)
    out.sample("evs_propagator_requests_total",
               {{"outcome", name_of(static_cast<request_outcome>(o))}}, m.requests[o].value());
  metrics::single_histogram(out, "evs_propagator_send_duration_seconds",
                            "Time of one request, from sending it to its answer or failure.",
                            m.send_duration, metrics::nanoseconds_per_second);

  out.single("evs_propagator_retrying", "gauge",
             "1 from a failed send until the endpoint takes events again, else 0.",
             m.retrying.value());
  out.single("evs_propagator_attempt", "gauge", "Failed attempts in a row; 0 after a delivery.",
             m.attempt.value());
  out.single("evs_propagator_backoff_seconds", "gauge",
             "The wait before the next attempt after the last failure (full jitter); 0 when not "
             "backing off.",
             static_cast<double>(m.backoff_nanoseconds.value()) / metrics::nanoseconds_per_second);

  if (process) metrics::process_families(out, *process);
  out.family("evs_build_info", "gauge", "Always 1; its label names the propagator's version.");
  out.sample("evs_build_info", {{"version", version}}, std::uint64_t{1});
  return out.take();
}

}  // namespace evs::propagator
