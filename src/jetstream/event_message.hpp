#pragma once
// One event as one JetStream message: the body is the event as a client sends it (the
// payload spliced in unchanged), Nats-Msg-Id its event_id (JetStream's duplicate check), and
// the consumer's received_at travels in a header, so that the store gets what the consumer saw.
// Pure: no NATS calls, so both directions are tested without a server.
#include "core/event.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace evs::jetstream {

inline constexpr const char* message_id_header = "Nats-Msg-Id";
inline constexpr const char* received_at_header = "Evs-Received-At-Us";

// The message body of `event` (its event_id must be set).
std::string message_body(const core::new_event& event);

// The event back from a message's body and its received_at header; nullopt when either is not
// what message_body and the consumer wrote (a message someone else put on the subject).
std::optional<core::new_event> event_from_message(std::string_view body,
                                                  std::string_view received_at_us);

}  // namespace evs::jetstream
