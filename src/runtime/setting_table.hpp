#pragma once
// Every setting of a program declared once, as one row of a table (after Fluent Bit's config
// map): key, type with its range or choices, default, help, and where the checked value lands
// in the program's config struct. From the table come the flags and --help (declare), the
// config itself (read, flags > environment > .env > default), the defaults (defaults) and the
// documentation in .env.example (describe).
#include "runtime/settings.hpp"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace evs::runtime {

enum class setting_type {
  text,     // any string; empty means unset
  secret,   // a text that --help and .env.example never show a value of; at least `min` bytes
  integer,  // within [min, max]
  number,   // a decimal within [min, max]
  choice,   // one of `choices`, case-insensitively
};

// A row's value once checked against the row.
struct setting_value {
  std::string text;  // as given; a choice in its declared spelling
  std::int64_t integer = 0;
  double number = 0;

  template <class T>
  T as() const {
    return static_cast<T>(integer);
  }
};

// A row without its landing: what help, checks and documentation need.
struct setting_spec {
  std::string_view key;
  setting_type type = setting_type::text;
  std::string_view default_value;  // empty: unset unless given
  std::string_view help;
  double min = 0;  // integer and number
  double max = 0;
  std::vector<std::string_view> choices;  // choice
};

template <class Config>
struct setting {
  setting_spec spec;
  void (*land)(Config&, const setting_value&);
};

template <class Config>
using setting_table = std::vector<setting<Config>>;

// Row builders, so that a table reads as one line per key.
template <class Config>
setting<Config> text_setting(std::string_view key, std::string_view default_value,
                             std::string_view help, void (*land)(Config&, const setting_value&)) {
  return {{key, setting_type::text, default_value, help, 0, 0, {}}, land};
}
template <class Config>
setting<Config> secret_setting(std::string_view key, std::size_t min_bytes, std::string_view help,
                               void (*land)(Config&, const setting_value&)) {
  return {{key, setting_type::secret, "", help, static_cast<double>(min_bytes), 0, {}}, land};
}
template <class Config>
setting<Config> integer_setting(std::string_view key, std::string_view default_value,
                                std::int64_t min, std::int64_t max, std::string_view help,
                                void (*land)(Config&, const setting_value&)) {
  return {{key,
           setting_type::integer,
           default_value,
           help,
           static_cast<double>(min),
           static_cast<double>(max),
           {}},
          land};
}
template <class Config>
setting<Config> number_setting(std::string_view key, std::string_view default_value, double min,
                               double max, std::string_view help,
                               void (*land)(Config&, const setting_value&)) {
  return {{key, setting_type::number, default_value, help, min, max, {}}, land};
}
template <class Config>
setting<Config> choice_setting(std::string_view key, std::string_view default_value,
                               std::initializer_list<std::string_view> choices,
                               std::string_view help, void (*land)(Config&, const setting_value&)) {
  return {{key, setting_type::choice, default_value, help, 0, 0, choices}, land};
}

// Declares `spec` as a flag with its environment key on `s`.
void declare(settings& s, const setting_spec& spec);
// The value of `spec` in `s`, checked; throws config_error naming the key.
setting_value read_value(const settings& s, const setting_spec& spec);
// The default of `spec`, checked as a given value would be.
setting_value default_value(const setting_spec& spec);

template <class Config>
void declare(settings& s, const setting_table<Config>& table) {
  for (const auto& row : table) declare(s, row.spec);
}

// Lands every row's value in `config`; throws config_error naming the first bad key.
template <class Config>
void read(const settings& s, const setting_table<Config>& table, Config& config) {
  for (const auto& row : table) row.land(config, read_value(s, row.spec));
}

// What a program's config holds when nobody says anything.
template <class Config>
void apply_defaults(const setting_table<Config>& table, Config& config) {
  for (const auto& row : table) row.land(config, default_value(row.spec));
}

template <class Config>
std::vector<setting_spec> describe(const setting_table<Config>& table) {
  std::vector<setting_spec> specs;
  for (const auto& row : table) specs.push_back(row.spec);
  return specs;
}

}  // namespace evs::runtime
