#pragma once
// The exact bytes of a member's value inside JSON text, so that a payload can be stored and
// returned as the client wrote it (big integers, number spelling and all), not as a parser
// re-prints it.
#include <optional>
#include <string_view>
#include <vector>

namespace evs::core {

// `json` must already have parsed successfully (strict JSON). For a top-level object, one
// entry; for a top-level array, one per element. An entry is the raw text of the value of the
// last member named `key` (the member a parser keeps), or nullopt when the element is not an
// object or has no such member.
std::vector<std::optional<std::string_view>> raw_member_values(std::string_view json,
                                                               std::string_view key);

}  // namespace evs::core
