// Event JSON as a client sends it: batch, single event, PUT and PATCH bodies. Whatever the
// bytes, validation answers with events or errors, never both, and an accepted payload is JSON.
#include "core/validation.hpp"

#include <boost/json/parse.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body{reinterpret_cast<const char*>(data), size};
  evs::core::validation_limits limits;
  limits.max_batch = 50;
  limits.max_payload_bytes = 4096;

  for (const auto& parsed :
       {evs::core::parse_event_batch(body, limits), evs::core::parse_single_event(body, limits)}) {
    if (!parsed.errors.empty() && !parsed.events.empty()) std::abort();
    if (parsed.events.size() > limits.max_batch) std::abort();
    for (const auto& event : parsed.events) {
      boost::system::error_code ec;
      (void)boost::json::parse(event.payload_json, ec);
      if (ec || event.payload_json.size() > limits.max_payload_bytes) std::abort();
      if (event.event_type.empty()) std::abort();
    }
    (void)evs::core::validation_error_body(parsed.errors);
  }
  for (const bool replace : {true, false}) {
    const auto update = evs::core::parse_event_update(body, replace, limits);
    (void)evs::core::validation_error_body(update.errors);
  }
  return 0;
}
