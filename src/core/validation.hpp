#pragma once
// Turning request bodies into validated events. Pure functions: no I/O, no clock.
// Every problem is reported at once, in FastAPI's 422 shape (loc / msg / type).
#include "core/event.hpp"

#include <boost/json/array.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace evs::core {

struct field_error {
  boost::json::array loc;  // e.g. ["body", 3, "event_type"]
  std::string msg;
  std::string type;
};

struct validation_limits {
  std::size_t max_payload_bytes = 64 * 1024;
  std::size_t max_batch = 1000;
};

struct parsed_events {
  std::vector<new_event> events;  // event_id empty where the client sent none
  std::vector<field_error> errors;
  bool too_many = false;  // more than max_batch events: 413, not 422
};

// POST /api/event: one event object or a non-empty array of them.
parsed_events parse_event_batch(std::string_view body, const validation_limits& limits);

// POST /api/events: exactly one event object.
parsed_events parse_single_event(std::string_view body, const validation_limits& limits);

struct parsed_update {
  event_update update;
  std::vector<field_error> errors;
};

// PUT (replace: event_type and event_payload required) or PATCH (any subset).
parsed_update parse_event_update(std::string_view body, bool replace,
                                 const validation_limits& limits);

// {"detail":[{"loc":[...],"msg":"...","type":"..."}, ...]}
std::string validation_error_body(const std::vector<field_error>& errors);

}  // namespace evs::core
