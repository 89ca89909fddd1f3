#pragma once
// Stored events as the API returns them.
#include "core/event.hpp"

#include <string>

namespace evs::core {

// {"id":1,"event_id":"...","event_type":"...","event_payload":<as sent>,
//  "occurred_at":"..."|null,"received_at":"..."}
void append_event_json(std::string& out, const stored_event& event);
std::string event_json(const stored_event& event);

}  // namespace evs::core
