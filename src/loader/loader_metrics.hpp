#pragma once
// Every metric of event-loader, declared once and rendered by render_metrics (as the
// consumer's and the propagator's are). The drain loop writes, a scrape or the status line
// reads from another thread, so every value is an atomic.
#include "metrics/metric_types.hpp"
#include "metrics/process_stats.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace evs::loader {

struct loader_metrics {
  metrics::counter loaded;          // events newly stored
  metrics::counter duplicates;      // events the store had already (a redelivery, a resend)
  metrics::counter batches;         // transactions committed and acknowledged
  metrics::counter store_failures;  // inserts that failed and were tried again
  metrics::counter bad_messages;    // messages that are no event of ours, terminated
  metrics::histogram<metrics::duration_buckets> commit_duration;
  metrics::gauge pending;     // messages in the stream not yet delivered to the loader
  metrics::gauge store_down;  // 1 from a failed insert until one succeeds
};

// The text exposition (format 0.0.4) of every metric, HELP and TYPE lines included.
std::string render_metrics(const loader_metrics& m,
                           const std::optional<metrics::process_stats>& process,
                           std::string_view version);

}  // namespace evs::loader
