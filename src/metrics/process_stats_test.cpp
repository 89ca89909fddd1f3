#include "metrics/process_stats.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace evs::metrics {
namespace {

// A real line of /proc/<pid>/stat, with a command name that holds a space and a parenthesis.
constexpr std::string_view stat_line =
    "4242 (event (consumer) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 130 0 0 20 0 3 0 "
    "987654 123456789 2048 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n";

TEST(ProcessStats, TimesAndMemoryComeFromTheirFields) {
  const proc_stat_clock clock{100, 4096, 1'700'000'000};
  const auto stats = parse_proc_stat(stat_line, clock);
  ASSERT_TRUE(stats);
  EXPECT_DOUBLE_EQ(stats->cpu_seconds, 3.8);                      // (250 + 130) ticks
  EXPECT_DOUBLE_EQ(stats->start_time_seconds, 1'700'009'876.54);  // boot + 987654 ticks
  EXPECT_EQ(stats->virtual_bytes, 123456789U);
  EXPECT_EQ(stats->resident_bytes, 2048U * 4096U);
}

TEST(ProcessStats, ALineCutShortIsNotOne) {
  EXPECT_FALSE(parse_proc_stat("4242 (x) S 1 2 3", {}));
  EXPECT_FALSE(parse_proc_stat("no parenthesis here", {}));
  EXPECT_FALSE(parse_proc_stat("", {}));
}

TEST(ProcessStats, ThisProcessIsReadFromProc) {
  const auto stats = read_process_stats();
  ASSERT_TRUE(stats);
  const auto now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_GT(stats->start_time_seconds, now - 3600);  // started within the hour...
  EXPECT_LT(stats->start_time_seconds, now + 1);     // ...and not in the future
  EXPECT_GT(stats->resident_bytes, 1024U * 1024U);
  EXPECT_GE(stats->open_fds, 3U);  // stdin, stdout, stderr at least
  EXPECT_GE(stats->max_fds, stats->open_fds);
  EXPECT_GE(stats->cpu_seconds, 0.0);
}

}  // namespace
}  // namespace evs::metrics
