#pragma once
// Event JSON, written in one place: stored events as the API returns them, and events as a
// client sends them (the propagator's request bodies and dead letters).
#include "core/event.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace evs::core {

// The fields of an event before a store adds `id` and `received_at`. Views: the writer only
// reads them, so callers keep their own event types and copy nothing.
struct event_fields {
  std::string_view event_id;
  std::string_view event_type;
  std::string_view payload_json;  // compact JSON text, spliced in unchanged
  std::optional<std::string_view> occurred_at;
};

// "event_id":…,"event_type":…,"event_payload":<as sent>,"occurred_at":"…"|null, without the
// braces, so a caller can put members of its own before or after them.
void append_event_members(std::string& out, const event_fields& event);

// {"event_id":…,"event_type":…,"event_payload":…,"occurred_at":…}: an event as a client sends it.
void append_event_json(std::string& out, const event_fields& event);

// {"id":1,"event_id":"...","event_type":"...","event_payload":<as sent>,
//  "occurred_at":"..."|null,"received_at":"..."}
void append_event_json(std::string& out, const stored_event& event);
std::string event_json(const stored_event& event);

}  // namespace evs::core
