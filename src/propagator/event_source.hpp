#pragma once
// Where generated events come from: templates {event_type, event_payload} loaded from
// EVENTS_FILE (or the bundled samples), picked at random or in file order.
#include "propagator/config.hpp"
#include "runtime/settings.hpp"

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace evs::propagator {

struct event_template {
  std::string event_type;
  std::string payload_json;  // JSON text, as the consumer will store it
};

// A JSON array, a single object, or NDJSON (one object per line). Every template must be a
// valid event by the consumer's rules; an event_id or occurred_at in a template is ignored
// because each generated event gets its own. Throws runtime::config_error naming EVENTS_FILE.
std::vector<event_template> parse_templates(std::string_view text);

// `path` empty: the bundled samples. Throws runtime::config_error naming EVENTS_FILE.
std::vector<event_template> load_templates(const std::string& path);

// The sample set compiled into the program: a chat room's messages, joins and leaves.
std::string_view bundled_events_json();

class event_source {
 public:
  // `templates` must not be empty.
  event_source(std::vector<event_template> templates, pick_order order, std::uint64_t seed);

  const event_template& next();
  std::size_t size() const noexcept { return templates_.size(); }

 private:
  std::vector<event_template> templates_;
  pick_order order_;
  std::mt19937_64 rng_;
  std::size_t next_index_ = 0;
};

}  // namespace evs::propagator
