#pragma once
// Bearer token verification with libjwt, pinned to one HMAC algorithm.
#include "auth/jwt_algorithm.hpp"
#include "auth/scopes.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace evs::auth {

enum class token_status {
  ok,
  missing,        // no Authorization: Bearer header
  malformed,      // not a JWT at all
  bad_signature,  // signature does not verify with our secret
  wrong_algorithm,
  expired,
  not_yet_valid,
};

struct verified_token {
  token_status status = token_status::missing;
  std::string subject;
  scope_set scopes = scope_set::none();
  std::int64_t expires_at = 0;  // Unix seconds; 0 when the token has no `exp`
};

class token_verifier {
 public:
  token_verifier(std::string secret, jwt_algorithm algorithm);

  // `authorization` is the raw header value ("Bearer <jwt>"); `now` is Unix seconds.
  verified_token verify_header(std::string_view authorization, std::int64_t now) const;
  verified_token verify(std::string_view token, std::int64_t now) const;

 private:
  std::string secret_;
  jwt_algorithm algorithm_;
};

// The message a 401 carries for each failure.
std::string_view token_status_message(token_status status);

}  // namespace evs::auth
