#include "auth/scopes.hpp"

namespace evs::auth {

scope_set scope_set::parse(std::string_view claim) {
  std::uint8_t bits = 0;
  while (!claim.empty()) {
    const auto space = claim.find(' ');
    const auto word = claim.substr(0, space);
    if (word == "events:read") bits |= static_cast<std::uint8_t>(scope::read);
    if (word == "events:write") bits |= static_cast<std::uint8_t>(scope::write);
    if (word == "events:admin") bits |= 0x7;
    if (space == std::string_view::npos) break;
    claim.remove_prefix(space + 1);
  }
  return scope_set{bits};
}

std::string_view scope_name(scope s) {
  switch (s) {
    case scope::read: return "events:read";
    case scope::write: return "events:write";
    case scope::admin: return "events:admin";
  }
  return "";
}

}  // namespace evs::auth
