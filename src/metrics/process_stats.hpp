#pragma once
// What the official Prometheus clients report of a process (process_cpu_seconds_total and
// friends), read from Linux's /proc at scrape time.
#include <cstdint>
#include <optional>
#include <string_view>

namespace evs::metrics {

struct process_stats {
  double cpu_seconds = 0;  // user and system
  std::uint64_t resident_bytes = 0;
  std::uint64_t virtual_bytes = 0;
  double start_time_seconds = 0;  // since the Unix epoch
  std::uint64_t open_fds = 0;
  std::uint64_t max_fds = 0;  // the soft RLIMIT_NOFILE
};

// The numbers in a /proc/<pid>/stat line: times in clock ticks since boot, memory in pages.
// Nullopt when the line is not one.
struct proc_stat_clock {
  double ticks_per_second = 100;
  std::uint64_t page_bytes = 4096;
  double boot_time_seconds = 0;  // the btime of /proc/stat
};
std::optional<process_stats> parse_proc_stat(std::string_view line, const proc_stat_clock& clock);

// This process's, from /proc/self and getrlimit; nullopt when /proc cannot be read.
std::optional<process_stats> read_process_stats();

}  // namespace evs::metrics
