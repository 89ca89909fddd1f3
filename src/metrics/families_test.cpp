#include "metrics/families.hpp"

#include "metrics/metric_types.hpp"

#include <gtest/gtest.h>

namespace evs::metrics {
namespace {

struct small_buckets {
  static constexpr bucket_bounds<2> bounds = {10, 100};
};

TEST(Families, AHistogramFamilyShowsWhatItObserved) {
  histogram<small_buckets> h;
  h.observe(10);  // on a bound: in its bucket, as Prometheus' le means
  h.observe(11);
  h.observe(5000);
  exposition out;
  single_histogram(out, "evs_sizes", "Sizes seen.", h, 1);
  EXPECT_EQ(out.text(),
            "# HELP evs_sizes Sizes seen.\n"
            "# TYPE evs_sizes histogram\n"
            "evs_sizes_bucket{le=\"10\"} 1\n"
            "evs_sizes_bucket{le=\"100\"} 2\n"
            "evs_sizes_bucket{le=\"+Inf\"} 3\n"
            "evs_sizes_sum 5021\n"
            "evs_sizes_count 3\n");
}

TEST(Families, ProcessMetricsHaveTheClientLibrariesNames) {
  exposition out;
  process_families(out, {2.25, 4096, 8192, 1'700'000'000, 9, 1024});
  const auto& text = out.text();
  for (const auto* line :
       {"# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 2.25\n",
        "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 4096\n",
        "process_virtual_memory_bytes 8192\n", "process_start_time_seconds 1700000000\n",
        "process_open_fds 9\n", "process_max_fds 1024\n"})
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
}

TEST(Families, AGaugeShowsTheLastValueSet) {
  gauge g;
  EXPECT_EQ(g.value(), 0U);
  g.set(7);
  g.set(3);
  EXPECT_EQ(g.value(), 3U);
}

}  // namespace
}  // namespace evs::metrics
