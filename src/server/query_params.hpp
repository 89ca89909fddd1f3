#pragma once
// A request's query string (application/x-www-form-urlencoded), decoded by Boost.URL into
// plain pairs, so that handlers read parameters without a URL library.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace evs::server {

using query_params = std::vector<std::pair<std::string, std::string>>;

// The pairs of `query` (the text after '?') in order, repeated keys kept, percent escapes
// decoded and '+' read as a space; a key without '=' has an empty value and empty pairs
// ("a=1&&b=2") are skipped. nullopt when a percent escape is broken ("%zz", a final "%4").
std::optional<query_params> decode_query(std::string_view query);

}  // namespace evs::server
