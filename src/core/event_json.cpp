#include "core/event_json.hpp"

#include "core/json_text.hpp"
#include "core/rfc3339.hpp"

namespace evs::core {

void append_event_json(std::string& out, const stored_event& event) {
  out += "{\"id\":";
  out += std::to_string(event.id);
  out += ",\"event_id\":";
  append_json_string(out, event.event_id);
  out += ",\"event_type\":";
  append_json_string(out, event.event_type);
  // The payload is stored as compact JSON text, so it is spliced in unchanged.
  out += ",\"event_payload\":";
  out += event.payload_json;
  out += ",\"occurred_at\":";
  if (event.occurred_at)
    append_json_string(out, *event.occurred_at);
  else
    out += "null";
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
