#pragma once
// The JSON the propagator sends and the parts of the answers it reads. Pure functions.
#include "propagator/spool.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace evs::propagator {

struct batch_body {
  std::string json;  // [{"event_id":…,"event_type":…,"event_payload":…,"occurred_at":…},…]
  std::size_t count = 0;  // how many of the events it carries: a prefix
};

// As many events, oldest first, as fit in `max_bytes`; always at least one.
batch_body make_batch_body(std::span<const spooled_event> events, std::size_t max_bytes);

// `duplicates` of a 2xx answer {"accepted":N,"duplicates":D}, when the endpoint says it.
std::optional<std::size_t> reported_duplicates(std::string_view response_body);

// The batch positions a 422 answer blames ({"detail":[{"loc":["body",3,…]},…]}), sorted and
// unique; empty when the answer names no position (then the whole batch is at fault).
std::vector<std::size_t> rejected_positions(std::string_view response_body, std::size_t count);

}  // namespace evs::propagator
