#include "core/event_json.hpp"

#include "core/json_text.hpp"
#include "core/rfc3339.hpp"

namespace evs::core {

void append_event_members(std::string& out, const event_fields& event) {
  out += "\"event_id\":";
  append_json_string(out, event.event_id);
  out += ",\"event_type\":";
  append_json_string(out, event.event_type);
  // The payload is kept as compact JSON text, so it is spliced in unchanged.
  out += ",\"event_payload\":";
  out += event.payload_json;
  out += ",\"occurred_at\":";
  if (event.occurred_at)
    append_json_string(out, *event.occurred_at);
  else
    out += "null";
}

void append_event_json(std::string& out, const event_fields& event) {
  out += '{';
  append_event_members(out, event);
  out += '}';
}

void append_event_json(std::string& out, const stored_event& event) {
  out += "{\"id\":";
  out += std::to_string(event.id);
  out += ',';
  append_event_members(out, {event.event_id, event.event_type, event.payload_json,
                             event.occurred_at ? std::optional<std::string_view>{*event.occurred_at}
                                               : std::nullopt});
  out += ",\"received_at\":\"";
  out += format_rfc3339(event.received_at_us);
  out += "\"}";
}

std::string event_json(const stored_event& event) {
  std::string out;
  append_event_json(out, event);
  return out;
}

}  // namespace evs::core
