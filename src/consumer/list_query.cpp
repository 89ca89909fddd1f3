#include "consumer/list_query.hpp"

#include "core/cursor.hpp"
#include "core/rfc3339.hpp"
#include "server/query_params.hpp"

#include <charconv>

namespace evs::consumer {

std::variant<core::list_query, std::vector<core::field_error>> read_list_query(
    std::string_view query_text) {
  core::list_query q;
  std::vector<core::field_error> errors;
  const auto params = server::decode_query(query_text);
  if (!params) {
    errors.push_back({boost::json::array{"query"}, "Malformed query string", "query_parsing"});
    return errors;
  }
  auto at = [](std::string_view name) { return boost::json::array{"query", name}; };
  for (const auto& [key, value] : *params) {
    if (key == "event_type") {
      q.event_type = value;
    } else if (key == "event_id") {
      q.event_id = value;
    } else if (key == "since" || key == "until") {
      const auto t = core::parse_rfc3339(value);
      if (!t)
        errors.push_back({at(key), "Input should be an RFC 3339 timestamp", "datetime_parsing"});
      else
        (key == "since" ? q.since_us : q.until_us) = *t;
    } else if (key == "limit") {
      std::size_t limit = 0;
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (ec != std::errc{} || ptr != value.data() + value.size() || limit < 1 || limit > 1000)
        errors.push_back({at(key), "Input should be an integer from 1 to 1000", "limit_range"});
      else
        q.limit = limit;
    } else if (key == "cursor") {
      if (value.empty()) continue;
      const auto after = core::decode_cursor(value);
      if (!after)
        errors.push_back(
            {at(key), "Invalid cursor: pass back a next_cursor unchanged", "cursor_invalid"});
      else
        q.after_id = *after;
    }
  }
  if (!errors.empty()) return errors;
  return q;
}

}  // namespace evs::consumer
