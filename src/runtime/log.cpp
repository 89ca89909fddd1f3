#include "runtime/log.hpp"

#include "core/json_text.hpp"
#include "core/rfc3339.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>

namespace evs::log {
namespace {

std::atomic<format> current_format{format::text};
std::atomic<level> current_level{level::info};

const char* level_name(level l) {
  switch (l) {
    case level::debug: return "debug";
    case level::info: return "info";
    case level::warn: return "warn";
    case level::error: return "error";
  }
  return "info";
}

// Straight from the view: no boost::json::string, so no memory resource on this path.
std::string quoted(std::string_view s) {
  std::string out;
  core::append_json_string(out, s);
  return out;
}

// A bare value must not break the key=value layout nor the one-line-per-event rule.
bool needs_quotes(std::string_view value) {
  if (value.empty()) return true;
  for (const char c : value) {
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) return true;
  }
  return false;
}

}  // namespace

void configure(format f, level min_level) {
  current_format = f;
  current_level = min_level;
}

bool enabled(level l) { return l >= current_level.load(std::memory_order_relaxed); }

void write(level l, std::string_view message, std::initializer_list<field> fields) {
  if (!enabled(l)) return;
  const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::string line;
  if (current_format.load(std::memory_order_relaxed) == format::json) {
    line = "{\"ts\":\"" + core::format_rfc3339(now) + "\",\"level\":\"" + level_name(l) +
           "\",\"msg\":" + quoted(message);
    for (const auto& f : fields) line += "," + quoted(f.key) + ":" + quoted(f.value);
    line += "}\n";
  } else {
    line = core::format_rfc3339(now) + " " + level_name(l) + " " + std::string{message};
    for (const auto& f : fields)
      line += " " + std::string{f.key} + "=" + (needs_quotes(f.value) ? quoted(f.value) : f.value);
    line += "\n";
  }
  // One fwrite per line keeps lines whole when several threads log at once.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace evs::log
