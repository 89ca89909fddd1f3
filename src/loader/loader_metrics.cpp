#include "loader/loader_metrics.hpp"

#include "metrics/exposition.hpp"
#include "metrics/families.hpp"

#include <cstdint>

namespace evs::loader {

std::string render_metrics(const loader_metrics& m,
                           const std::optional<metrics::process_stats>& process,
                           std::string_view version) {
  metrics::exposition out;
  out.single("evs_loader_events_loaded_total", "counter",
             "Events taken from the stream and newly stored.", m.loaded.value());
  out.single("evs_loader_events_duplicate_total", "counter",
             "Events taken from the stream that the store already had (redeliveries, resends).",
             m.duplicates.value());
  out.single("evs_loader_batches_total", "counter",
             "Batches committed to the store and then acknowledged to the stream.",
             m.batches.value());
  out.single("evs_loader_store_failures_total", "counter",
             "Inserts that failed; the same batch is tried again.", m.store_failures.value());
  out.single("evs_loader_bad_messages_total", "counter",
             "Messages on the subject that are not events the consumer wrote; terminated.",
             m.bad_messages.value());
  metrics::single_histogram(out, "evs_loader_commit_duration_seconds",
                            "Time of one successful insert transaction.", m.commit_duration,
                            metrics::nanoseconds_per_second);
  out.single("evs_loader_stream_pending", "gauge",
             "Messages in the stream not yet delivered to the loader (at the last fetch).",
             m.pending.value());
  out.single("evs_loader_store_down", "gauge", "1 from a failed insert until one succeeds, else 0.",
             m.store_down.value());
  if (process) metrics::process_families(out, *process);
  out.family("evs_build_info", "gauge", "Always 1; its label names the loader's version.");
  out.sample("evs_build_info", {{"version", version}}, std::uint64_t{1});
  return out.take();
}

}  // namespace evs::loader
