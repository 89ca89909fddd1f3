#pragma once
// Families every program renders alike: a histogram without labels, and the process metrics
// named as the official Prometheus client libraries name them, so their dashboards work.
#include "metrics/exposition.hpp"
#include "metrics/process_stats.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace evs::metrics {

// A family of one histogram without labels; `per_unit` as in exposition::histogram.
template <class Histogram>
void single_histogram(exposition& out, std::string_view name, std::string_view help,
                      const Histogram& h, double per_unit) {
  out.family(name, "histogram", help);
  std::vector<std::uint64_t> counts(Histogram::buckets);
  for (std::size_t i = 0; i < counts.size(); ++i) counts[i] = h.count_in(i);
  out.histogram(name, {}, Histogram::bounds(), counts, h.sum(), per_unit);
}

// process_cpu_seconds_total, process_resident_memory_bytes and the rest.
void process_families(exposition& out, const process_stats& p);

}  // namespace evs::metrics
