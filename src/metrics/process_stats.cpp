#include "metrics/process_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace evs::metrics {
namespace {

std::optional<std::string> read_text(const char* path) {
  std::ifstream in{path};
  if (!in) return std::nullopt;
  return std::string{std::istreambuf_iterator<char>{in}, {}};
}

std::optional<std::uint64_t> to_number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The btime line of /proc/stat: when the machine booted, in seconds since the epoch.
std::optional<double> boot_time_seconds() {
  const auto text = read_text("/proc/stat");
  if (!text) return std::nullopt;
  std::istringstream lines{*text};
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with("btime "))
      if (const auto value = to_number(std::string_view{line}.substr(6)))
        return static_cast<double>(*value);
  return std::nullopt;
}

std::uint64_t count_open_fds() {
  std::error_code ec;
  std::uint64_t count = 0;
  for (std::filesystem::directory_iterator it{"/proc/self/fd", ec}, end; !ec && it != end;
       it.increment(ec))
    ++count;
  return count;
}

}  // namespace

std::optional<process_stats> parse_proc_stat(std::string_view line, const proc_stat_clock& clock) {
  // The command name, in parentheses, may hold spaces and parentheses itself: the fields that
  // follow start after the last ')'. Field 3 (the state) is the first of them.
  const auto close = line.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  std::vector<std::string_view> fields;
  for (auto rest = line.substr(close + 1); !rest.empty();) {
    const auto start = rest.find_first_not_of(" \n");
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    const auto end = rest.find_first_of(" \n");
    fields.push_back(rest.substr(0, end));
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
  }
  const auto field = [&](std::size_t number) -> std::optional<std::uint64_t> {
    if (number - 3 >= fields.size()) return std::nullopt;
    return to_number(fields[number - 3]);
  };
  const auto utime = field(14);
  const auto stime = field(15);
  const auto start = field(22);
  const auto vsize = field(23);
  const auto rss = field(24);
  if (!utime || !stime || !start || !vsize || !rss) return std::nullopt;
  process_stats stats;
  stats.cpu_seconds = static_cast<double>(*utime + *stime) / clock.ticks_per_second;
  stats.start_time_seconds =
      clock.boot_time_seconds + static_cast<double>(*start) / clock.ticks_per_second;
  stats.virtual_bytes = *vsize;
  stats.resident_bytes = *rss * clock.page_bytes;
  return stats;
}

std::optional<process_stats> read_process_stats() {
  const auto line = read_text("/proc/self/stat");
  const auto boot = boot_time_seconds();
  if (!line || !boot) return std::nullopt;
  const proc_stat_clock clock{static_cast<double>(::sysconf(_SC_CLK_TCK)),
                              static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)), *boot};
  auto stats = parse_proc_stat(*line, clock);
  if (!stats) return std::nullopt;
  stats->open_fds = count_open_fds();
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) stats->max_fds = limit.rlim_cur;
  return stats;
}

}  // namespace evs::metrics
