#include "propagator/event_source.hpp"

#include "core/json_text.hpp"
#include "core/validation.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace evs::propagator {
namespace {

namespace json = boost::json;

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// The whole text as one JSON value, or else one value per non-empty line.
json::array to_array(std::string_view text) {
  boost::system::error_code ec;
  json::value whole = json::parse(text, ec);
  if (!ec) {
    if (whole.is_array()) return std::move(whole.as_array());
    if (whole.is_object()) return json::array{std::move(whole)};
    throw runtime::config_error("EVENTS_FILE: expected a JSON array of event templates or NDJSON");
  }
  json::array items;
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++line_number;
    const auto line = trim(text.substr(start, end - start));
    start = end + 1;
    if (line.empty()) continue;
    json::value item = json::parse(line, ec);
    if (ec)
      throw runtime::config_error("EVENTS_FILE: line " + std::to_string(line_number) +
                                  ": not JSON (" + ec.message() + ")");
    items.push_back(std::move(item));
  }
  return items;
}

std::string describe(const core::field_error& error) {
  std::string where;
  for (std::size_t i = 1; i < error.loc.size(); ++i) {
    const auto& part = error.loc[i];
    if (part.is_int64())
      where += "entry " + std::to_string(part.as_int64() + 1);
    else if (part.is_string())
      where += (where.empty() ? "" : ", ") + std::string{part.as_string()};
  }
  return where.empty() ? error.msg : where + ": " + error.msg;
}

}  // namespace

std::vector<event_template> parse_templates(std::string_view text) {
  json::array items = to_array(text);
  if (items.empty()) throw runtime::config_error("EVENTS_FILE: contains no event templates");
  // Our own ids and timestamps replace whatever a template says.
  for (auto& item : items) {
    if (auto* object = item.if_object()) {
      object->erase("event_id");
      object->erase("occurred_at");
    }
  }
  core::validation_limits limits;
  limits.max_batch = items.size();
  const auto parsed = core::parse_event_batch(core::to_json_text(items), limits);
  if (!parsed.errors.empty()) {
    std::string message = "EVENTS_FILE: " + describe(parsed.errors.front());
    if (parsed.errors.size() > 1)
      message += " (and " + std::to_string(parsed.errors.size() - 1) + " more problems)";
    throw runtime::config_error(message);
  }
  std::vector<event_template> templates;
  templates.reserve(parsed.events.size());
  for (const auto& event : parsed.events)
    templates.push_back({event.event_type, event.payload_json});
  return templates;
}

std::vector<event_template> load_templates(const std::string& path) {
  if (path.empty()) return parse_templates(bundled_events_json());
  std::ifstream in{path, std::ios::binary};
  if (!in) throw runtime::config_error("EVENTS_FILE: cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return parse_templates(text.str());
}

event_source::event_source(std::vector<event_template> templates, pick_order order,
                           std::uint64_t seed)
    : templates_{std::move(templates)}, order_{order}, rng_{seed} {
  if (templates_.empty()) throw std::invalid_argument("event_source: no templates");
}

const event_template& event_source::next() {
  if (order_ == pick_order::random) {
    std::uniform_int_distribution<std::size_t> pick{0, templates_.size() - 1};
    return templates_[pick(rng_)];
  }
  const auto& picked = templates_[next_index_];
  next_index_ = (next_index_ + 1) % templates_.size();
  return picked;
}

}  // namespace evs::propagator
