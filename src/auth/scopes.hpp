#pragma once
// OAuth 2 style scopes from the token's space-separated `scope` claim.
#include <cstdint>
#include <optional>
#include <string_view>

namespace evs::auth {

enum class scope : std::uint8_t { read = 1, write = 2, admin = 4 };

class scope_set {
 public:
  static scope_set all() { return scope_set{0x7}; }
  static scope_set none() { return scope_set{0}; }
  // "events:read events:write"; unknown scopes are ignored. events:admin implies read and write.
  static scope_set parse(std::string_view claim);

  bool has(scope s) const { return (bits_ & static_cast<std::uint8_t>(s)) != 0; }

 private:
  explicit scope_set(std::uint8_t bits) : bits_{bits} {}
  std::uint8_t bits_;
};

std::string_view scope_name(scope s);

}  // namespace evs::auth
