#include "consumer/metrics.hpp"

#include "metrics/exposition.hpp"
#include "metrics/families.hpp"

#include <algorithm>
#include <vector>

namespace evs::consumer {
namespace {

using metrics::exposition;
using metrics::label_set;
using metrics::nanoseconds_per_second;
using metrics::single_histogram;
constexpr std::array<std::string_view, status_classes> class_names = {"1xx", "2xx", "3xx", "4xx",
                                                                      "5xx"};

std::size_t status_class(unsigned status) {
  return std::clamp<std::size_t>(status / 100, 1, status_classes) - 1;
}

route_name slot_name(std::size_t slot) {
  if (slot == unrouted_slot) return {"unmatched", "unmatched"};
  return name_of(static_cast<endpoint>(slot));
}

// A histogram's buckets and sum, added up over the I/O threads' slots.
template <class Histogram, class Read>
void histogram_over_slots(exposition& out, std::string_view name, label_set labels,
                          const per_thread<request_counters>& slots, Read read) {
  std::vector<std::uint64_t> counts(Histogram::buckets);
  std::uint64_t sum = 0;
  for (const auto& slot : slots.all()) {
    const auto& h = read(slot);
    for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += h.count_in(i);
    sum += h.sum();
  }
  out.histogram(name, labels, Histogram::bounds(), counts, sum, nanoseconds_per_second);
}

void request_families(exposition& out, const per_thread<request_counters>& slots) {
  out.family("evs_http_requests_total", "counter",
             "HTTP requests answered, by route and status class; refusals (401, 404, 413, ...) "
             "and malformed requests included, under route \"unmatched\" when no route matched.");
  for (std::size_t route = 0; route < route_slots; ++route) {
    const auto name = slot_name(route);
    for (std::size_t cls = 0; cls < status_classes; ++cls) {
      const auto value = slots.sum([&](const auto& s) { return s.answered[route][cls].value(); });
      // 2xx, 4xx and 5xx are always shown, so that rate() sees their first increase.
      if (value == 0 && (cls == 0 || cls == 2)) continue;
      out.sample("evs_http_requests_total",
                 {{"method", name.method}, {"route", name.path}, {"code", class_names[cls]}},
                 value);
    }
  }

  out.family("evs_http_request_duration_seconds", "histogram",
             "Time from a request's first byte to the last byte of its answer, by route.");
  for (std::size_t route = 0; route < route_slots; ++route) {
    const auto name = slot_name(route);
    histogram_over_slots<histogram<duration_buckets>>(
        out, "evs_http_request_duration_seconds", {{"method", name.method}, {"route", name.path}},
        slots, [&](const request_counters& s) -> const auto& { return s.duration[route]; });
  }

  out.single("evs_http_request_body_bytes_total", "counter", "Request body bytes read.",
             slots.sum([](const auto& s) { return s.body_bytes.value(); }));
}

void event_families(exposition& out, const per_thread<request_counters>& slots) {
  out.single("evs_events_accepted_total", "counter", "Events stored.",
             slots.sum([](const auto& s) { return s.events_accepted.value(); }));
  out.single("evs_events_duplicate_total", "counter",
             "Events not stored again because their event_id was already stored.",
             slots.sum([](const auto& s) { return s.events_duplicate.value(); }));
  out.family("evs_event_requests_rejected_total", "counter",
             "Requests to write events (POST /api/event, POST /api/events) refused, by reason; "
             "none of their events was stored.");
  for (std::size_t r = 0; r < reject_reasons; ++r)
    out.sample("evs_event_requests_rejected_total",
               {{"reason", name_of(static_cast<reject_reason>(r))}},
               slots.sum([r](const auto& s) { return s.rejected[r].value(); }));
}

void storage_families(exposition& out, const metrics_sources& m) {
  single_histogram(out, "evs_commit_duration_seconds",
                   "Time of one commit (one transaction) of the batch writer.", m.commits.duration,
                   nanoseconds_per_second);
  single_histogram(out, "evs_commit_group_events", "Events in one commit.", m.commits.events, 1);
  single_histogram(out, "evs_commit_group_requests", "Requests in one commit.", m.commits.requests,
                   1);

  out.single("evs_write_queue_events", "gauge", "Events waiting for a commit.", m.queued_events);
  out.single("evs_write_queue_capacity_events", "gauge",
             "Events the write queue holds before writes answer 503 (WRITE_QUEUE_EVENTS).",
             m.queue_capacity);

  out.single("evs_storage_errors_total", "counter",
             "Store calls that failed: commits, reads, updates and readiness checks.",
             m.commits.failed.value() +
                 m.requests.sum([](const auto& s) { return s.storage_errors.value(); }));
  out.single("evs_storage_ready", "gauge",
             "1 when storage answers and takes writes (what /api/ready checks), else 0.",
             std::uint64_t{m.storage_ready ? 1U : 0U});
}

void server_families(exposition& out, const metrics_sources& m) {
  if (m.connections) {
    out.single("evs_http_connections_open", "gauge", "Connections held open now.",
               m.connections->open);
    out.single("evs_http_connections_max", "gauge",
               "Connections held at once before more are refused (MAX_CONNECTIONS).",
               m.connections->max);
  }
  out.single("evs_token_cache_hits_total", "counter",
             "Bearer tokens found in the cache of verified tokens.", m.token_cache_hits);
  out.single("evs_token_verifications_total", "counter",
             "Authorization headers checked in full (not in the cache, or without a token).",
             m.token_verifications);
}

}  // namespace

std::string_view name_of(reject_reason reason) {
  switch (reason) {
    case reject_reason::validation: return "validation";
    case reject_reason::auth: return "auth";
    case reject_reason::size: return "size";
    case reject_reason::backpressure: return "backpressure";
    case reject_reason::storage: return "storage";
    case reject_reason::protocol: return "protocol";
  }
  return "protocol";
}

std::optional<reject_reason> rejection_of(endpoint e, unsigned status) {
  if ((e != endpoint::ingest && e != endpoint::create_event) || status < 400) return std::nullopt;
  switch (status) {
    case 401:
    case 403: return reject_reason::auth;
    case 413: return reject_reason::size;
    case 415:
    case 422: return reject_reason::validation;
    case 503: return reject_reason::backpressure;
    default: return status >= 500 ? reject_reason::storage : reject_reason::protocol;
  }
}

void request_counters::count_answer(std::optional<endpoint> route, unsigned status,
                                    std::size_t request_body_bytes,
                                    std::chrono::nanoseconds elapsed) noexcept {
  const auto slot = route ? static_cast<std::size_t>(*route) : unrouted_slot;
  // not_found and method_not_allowed are answers without a route too.
  const auto at = slot < routed_endpoints ? slot : unrouted_slot;
  answered[at][status_class(status)].add();
  duration[at].observe(static_cast<std::uint64_t>(std::max<std::int64_t>(0, elapsed.count())));
  if (request_body_bytes != 0) body_bytes.add(request_body_bytes);
  if (route)
    if (const auto reason = rejection_of(*route, status))
      rejected[static_cast<std::size_t>(*reason)].add();
}

std::string render_metrics(const metrics_sources& m) {
  exposition out;
  request_families(out, m.requests);
  event_families(out, m.requests);
  storage_families(out, m);
  server_families(out, m);
  if (m.process) metrics::process_families(out, *m.process);
  out.family("evs_build_info", "gauge",
             "Always 1; its labels name the consumer's version and storage backend.");
  out.sample("evs_build_info", {{"version", m.version}, {"backend", m.backend}}, std::uint64_t{1});
  return out.take();
}

}  // namespace evs::consumer
