#include "jetstream/event_message.hpp"

#include "core/event_json.hpp"
#include "core/validation.hpp"

#include <charconv>
#include <limits>

namespace evs::jetstream {

std::string message_body(const core::new_event& event) {
  std::string body;
  body.reserve(event.payload_json.size() + event.event_type.size() + event.event_id.size() + 96);
  core::append_event_json(body, core::event_fields{event.event_id, event.event_type,
                                                   event.payload_json, event.occurred_at});
  return body;
}

std::optional<core::new_event> event_from_message(std::string_view body,
                                                  std::string_view received_at_us) {
  std::int64_t received = 0;
  const auto [end, ec] = std::from_chars(received_at_us.data(),
                                         received_at_us.data() + received_at_us.size(), received);
  if (received_at_us.empty() || ec != std::errc{} ||
      end != received_at_us.data() + received_at_us.size())
    return std::nullopt;
  // The consumer has checked the event against its own limits already; the loader does not
  // refuse what the consumer accepted.
  const core::validation_limits any_size{std::numeric_limits<std::size_t>::max(), 1};
  auto parsed = core::parse_single_event(body, any_size);
  if (!parsed.errors.empty() || parsed.events.size() != 1 || parsed.events.front().event_id.empty())
    return std::nullopt;
  auto event = std::move(parsed.events.front());
  event.received_at_us = received;
  return event;
}

}  // namespace evs::jetstream
