#include "propagator/event_source.hpp"

namespace evs::propagator {

// A small chat room, like the original service's sample file: string payloads as the
// original sent them, plus object payloads that the consumer also accepts.
std::string_view bundled_events_json() {
  return R"json([
  {"event_type": "message", "event_payload": "Hello everyone!"},
  {"event_type": "message", "event_payload": "Good morning, how is everybody doing?"},
  {"event_type": "message", "event_payload": "Has anyone seen the latest release notes?"},
  {"event_type": "message", "event_payload": "Lunch in ten minutes \ud83c\udf55"},
  {"event_type": "message", "event_payload": "I'll be back in five."},
  {"event_type": "message", "event_payload": "Thanks, that fixed it!"},
  {"event_type": "message", "event_payload": "Can someone review my pull request?"},
  {"event_type": "message", "event_payload": "Bonjour \u00e0 tous, \u00e7a va ?"},
  {"event_type": "message", "event_payload": {"user": "alice", "room": "general", "text": "Welcome, bob!"}},
  {"event_type": "message", "event_payload": {"user": "bob", "room": "general", "text": "Thanks! Glad to be here."}},
  {"event_type": "message", "event_payload": {"user": "carol", "room": "random", "text": "Anyone up for coffee?"}},
  {"event_type": "message", "event_payload": {"user": "dave", "room": "dev", "text": "Build is green again \u2705"}},
  {"event_type": "message", "event_payload": {"user": "erin", "room": "dev", "text": "Deploying to staging now.", "thread": 42}},
  {"event_type": "user_joined", "event_payload": "alice joined the chat"},
  {"event_type": "user_joined", "event_payload": "bob joined the chat"},
  {"event_type": "user_joined", "event_payload": {"user": "carol", "room": "random"}},
  {"event_type": "user_joined", "event_payload": {"user": "dave", "room": "dev", "invited_by": "alice"}},
  {"event_type": "user_joined", "event_payload": {"user": "erin", "room": "dev"}},
  {"event_type": "user_left", "event_payload": "bob left the chat"},
  {"event_type": "user_left", "event_payload": "carol left the chat"},
  {"event_type": "user_left", "event_payload": {"user": "dave", "room": "dev", "reason": "timeout"}},
  {"event_type": "user_left", "event_payload": {"user": "erin", "room": "dev", "reason": "quit"}},
  {"event_type": "user_typing", "event_payload": {"user": "alice", "room": "general"}},
  {"event_type": "reaction_added", "event_payload": {"user": "bob", "room": "general", "emoji": "\ud83d\udc4d", "message_user": "alice"}},
  {"event_type": "room_created", "event_payload": {"room": "announcements", "created_by": "alice", "private": false}}
])json";
}

}  // namespace evs::propagator
