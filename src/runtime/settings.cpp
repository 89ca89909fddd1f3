#include "runtime/settings.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace evs::runtime {

std::string flag_name(const std::string& key) {
  std::string flag = "--";
  for (char c : key)
    flag.push_back(c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return flag;
}

void settings::declare(const std::string& key, const std::string& default_value,
                       const std::string& help) {
  auto& value = values_[key];
  value = default_value;
  auto* option = app_.add_option(flag_name(key), value, help)->envname(key);
  if (!default_value.empty()) option->default_str(default_value);
  option->option_text(default_value.empty() ? "[env " + key + "]"
                                            : "[env " + key + ", default " + default_value + "]");
}

std::string settings::text(const std::string& key) const { return values_.at(key); }

std::optional<std::string> settings::optional_text(const std::string& key) const {
  const auto& value = values_.at(key);
  if (value.empty()) return std::nullopt;
  return value;
}

std::int64_t parse_integer(const std::string& key, const std::string& value, std::int64_t min,
                           std::int64_t max) {
  std::int64_t parsed = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (ec != std::errc{} || ptr != value.data() + value.size() || parsed < min || parsed > max)
    throw config_error(key + ": must be an integer from " + std::to_string(min) + " to " +
                       std::to_string(max) + ", got '" + value + "'");
  return parsed;
}

double parse_number(const std::string& key, const std::string& value, double min, double max) {
  double parsed = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (ec != std::errc{} || ptr != value.data() + value.size() || !(parsed >= min && parsed <= max))
    throw config_error(key + ": must be a number from " + CLI::detail::to_string(min) + " to " +
                       CLI::detail::to_string(max) + ", got '" + value + "'");
  return parsed;
}

std::string parse_choice(const std::string& key, const std::string& value,
                         const std::vector<std::string_view>& choices) {
  std::string allowed;
  for (const auto candidate : choices) {
    if (std::equal(candidate.begin(), candidate.end(), value.begin(), value.end(),
                   [](char a, char b) {
                     return std::tolower(static_cast<unsigned char>(a)) ==
                            std::tolower(static_cast<unsigned char>(b));
                   }))
      return std::string{candidate};
    allowed += allowed.empty() ? std::string{candidate} : ", " + std::string{candidate};
  }
  throw config_error(key + ": must be one of " + allowed + ", got '" + value + "'");
}

std::int64_t settings::integer(const std::string& key, std::int64_t min, std::int64_t max) const {
  return parse_integer(key, values_.at(key), min, max);
}

double settings::number(const std::string& key, double min, double max) const {
  return parse_number(key, values_.at(key), min, max);
}

std::string settings::choice(const std::string& key,
                             std::initializer_list<const char*> choices) const {
  return parse_choice(key, values_.at(key), {choices.begin(), choices.end()});
}

log_settings read_log_settings(const settings& s) {
  log_settings out;
  out.format = log_format_named(s.choice("LOG_FORMAT", {"text", "json"}));
  out.level = log_level_named(s.choice("LOG_LEVEL", {"debug", "info", "warn", "error"}));
  return out;
}

log::format log_format_named(const std::string& name) {
  return name == "json" ? log::format::json : log::format::text;
}

log::level log_level_named(const std::string& name) {
  return name == "debug"   ? log::level::debug
         : name == "warn"  ? log::level::warn
         : name == "error" ? log::level::error
                           : log::level::info;
}

}  // namespace evs::runtime
