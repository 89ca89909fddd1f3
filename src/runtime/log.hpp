#pragma once
// One line per event on stderr: text by default, JSON with LOG_FORMAT=json.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace evs::log {

enum class level { debug, info, warn, error };
enum class format { text, json };

struct field {
  std::string_view key;
  std::string value;
};

// Set once at start-up, before threads start.
void configure(format f, level min_level);
bool enabled(level l);
void write(level l, std::string_view message, std::initializer_list<field> fields = {});

inline void debug(std::string_view m, std::initializer_list<field> f = {}) {
  write(level::debug, m, f);
}
inline void info(std::string_view m, std::initializer_list<field> f = {}) {
  write(level::info, m, f);
}
inline void warn(std::string_view m, std::initializer_list<field> f = {}) {
  write(level::warn, m, f);
}
inline void error(std::string_view m, std::initializer_list<field> f = {}) {
  write(level::error, m, f);
}

}  // namespace evs::log
