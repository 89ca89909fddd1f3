#pragma once
// The query of `GET /api/events`: filters, page size and cursor, read from the text after '?'.
// Pure, so it is tested and fuzzed without a server.
#include "core/event.hpp"
#include "core/validation.hpp"

#include <string_view>
#include <variant>
#include <vector>

namespace evs::consumer {

// The query, or every bad parameter (as for bodies, so a 422 names them all). Unknown
// parameters are ignored; a repeated one counts as its last value.
std::variant<core::list_query, std::vector<core::field_error>> read_list_query(
    std::string_view query_text);

}  // namespace evs::consumer
