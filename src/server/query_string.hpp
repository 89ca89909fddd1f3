#pragma once
// application/x-www-form-urlencoded query strings, percent-decoded.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace evs::server {

using query_params = std::vector<std::pair<std::string, std::string>>;

// nullopt when a percent escape is malformed.
std::optional<query_params> parse_query(std::string_view query);

}  // namespace evs::server
