#pragma once
// Configuration keys declared once, with default and help text. Each key becomes a flag
// (PORT -> --port) that falls back to the environment variable of the same name, which in
// turn falls back to `.env` (loaded into the environment beforehand). Typed getters validate
// and throw config_error with a message that names the key.
#include "runtime/log.hpp"

#include <CLI/App.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace evs::runtime {

class config_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class settings {
 public:
  explicit settings(CLI::App& app) : app_{app} {}

  // An empty default means "unset unless given".
  void declare(const std::string& key, const std::string& default_value, const std::string& help);

  std::string text(const std::string& key) const;
  std::optional<std::string> optional_text(const std::string& key) const;
  std::int64_t integer(const std::string& key, std::int64_t min, std::int64_t max) const;
  double number(const std::string& key, double min, double max) const;
  // One of `choices`, compared case-insensitively; returns the choice as declared.
  std::string choice(const std::string& key, std::initializer_list<const char*> choices) const;

 private:
  CLI::App& app_;
  std::map<std::string, std::string> values_;
};

// The checks behind the typed getters, on a value from anywhere (a table's default, say).
std::int64_t parse_integer(const std::string& key, const std::string& value, std::int64_t min,
                           std::int64_t max);
double parse_number(const std::string& key, const std::string& value, double min, double max);
std::string parse_choice(const std::string& key, const std::string& value,
                         const std::vector<std::string_view>& choices);

// "DB_PATH" -> "--db-path"
std::string flag_name(const std::string& key);

// LOG_FORMAT (text, json) and LOG_LEVEL (debug, info, warn, error), as every program reads them.
struct log_settings {
  log::format format = log::format::text;
  log::level level = log::level::info;
};
log_settings read_log_settings(const settings& s);
// A LOG_FORMAT / LOG_LEVEL choice (as declared) as the logger's type.
log::format log_format_named(const std::string& name);
log::level log_level_named(const std::string& name);

}  // namespace evs::runtime
