#pragma once
// The event model shared by the consumer, the stores and the propagator.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace evs::core {

// A validated event ready to be stored. The payload is kept as JSON text so that it comes
// back exactly as sent: a string payload is the quoted JSON string.
struct new_event {
  std::string event_id;
  std::string event_type;
  std::string payload_json;
  std::optional<std::string> occurred_at;  // RFC 3339, as sent
  std::int64_t received_at_us = 0;         // microseconds since the Unix epoch
};

struct stored_event {
  std::int64_t id = 0;
  std::string event_id;
  std::string event_type;
  std::string payload_json;
  std::optional<std::string> occurred_at;
  std::int64_t received_at_us = 0;
};

// A partial update: absent members keep their stored value.
struct event_update {
  std::optional<std::string> event_type;
  std::optional<std::string> payload_json;
  std::optional<std::optional<std::string>> occurred_at;
};

// Filters and keyset position for listing; items come in ascending `id` order.
struct list_query {
  std::optional<std::string> event_type;
  std::optional<std::string> event_id;
  std::optional<std::int64_t> since_us;  // received_at >= since
  std::optional<std::int64_t> until_us;  // received_at < until
  std::optional<std::int64_t> after_id;  // from the cursor
  std::size_t limit = 100;
};

struct event_page {
  std::vector<stored_event> items;
  bool has_more = false;
};

}  // namespace evs::core
