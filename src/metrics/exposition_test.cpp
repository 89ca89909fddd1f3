#include "metrics/exposition.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>

namespace evs::metrics {
namespace {

TEST(Exposition, AFamilyIsItsHelpAndTypeLinesThenItsSamples) {
  exposition out;
  out.family("evs_things_total", "counter", "Things counted.");
  out.sample("evs_things_total", {}, std::uint64_t{7});
  out.sample("evs_things_total", {{"kind", "a"}, {"code", "2xx"}},
             std::uint64_t{18446744073709551615U});
  EXPECT_EQ(out.text(),
            "# HELP evs_things_total Things counted.\n"
            "# TYPE evs_things_total counter\n"
            "evs_things_total 7\n"
            "evs_things_total{kind=\"a\",code=\"2xx\"} 18446744073709551615\n");
}

TEST(Exposition, LabelValuesAndHelpAreEscaped) {
  exposition out;
  out.family("evs_x", "gauge", "a \\ and a\nline, \"quoted\"");
  out.sample("evs_x", {{"v", "back\\slash \"quote\"\nnew"}}, std::uint64_t{1});
  EXPECT_EQ(out.text(),
            "# HELP evs_x a \\\\ and a\\nline, \"quoted\"\n"
            "# TYPE evs_x gauge\n"
            "evs_x{v=\"back\\\\slash \\\"quote\\\"\\nnew\"} 1\n");
}

TEST(Exposition, DoublesAreWrittenShortestAndInfinityAsTheFormatSpellsIt) {
  exposition out;
  out.sample("a", {}, 0.25);
  out.sample("b", {}, 1712345678.5);
  out.sample("c", {}, std::numeric_limits<double>::infinity());
  out.sample("d", {}, 3.0);
  EXPECT_EQ(out.text(), "a 0.25\nb 1712345678.5\nc +Inf\nd 3\n");
}

TEST(Exposition, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  // Bounds of 0.5 ms, 1 ms and 2.5 ms in nanoseconds; 2 observations at or under 0.5 ms, none
  // in the next bucket, 1 under 2.5 ms and 3 above it.
  constexpr std::array<std::uint64_t, 3> bounds = {500'000, 1'000'000, 2'500'000};
  constexpr std::array<std::uint64_t, 4> counts = {2, 0, 1, 3};
  exposition out;
  out.histogram("evs_wait_seconds", {{"route", "/r"}}, bounds, counts, 12'750'000'000, 1e9);
  EXPECT_EQ(out.text(),
            "evs_wait_seconds_bucket{route=\"/r\",le=\"0.0005\"} 2\n"
            "evs_wait_seconds_bucket{route=\"/r\",le=\"0.001\"} 2\n"
            "evs_wait_seconds_bucket{route=\"/r\",le=\"0.0025\"} 3\n"
            "evs_wait_seconds_bucket{route=\"/r\",le=\"+Inf\"} 6\n"
            "evs_wait_seconds_sum{route=\"/r\"} 12.75\n"
            "evs_wait_seconds_count{route=\"/r\"} 6\n");
}

TEST(Exposition, AHistogramWithoutLabelsHasOnlyTheLeLabel) {
  constexpr std::array<std::uint64_t, 2> bounds = {1, 10};
  constexpr std::array<std::uint64_t, 3> counts = {1, 1, 0};
  exposition out;
  out.histogram("evs_group_events", {}, bounds, counts, 6);
  EXPECT_EQ(out.text(),
            "evs_group_events_bucket{le=\"1\"} 1\n"
            "evs_group_events_bucket{le=\"10\"} 2\n"
            "evs_group_events_bucket{le=\"+Inf\"} 2\n"
            "evs_group_events_sum 6\n"
            "evs_group_events_count 2\n");
}

}  // namespace
}  // namespace evs::metrics
