#pragma once
// Mints HMAC-signed JWTs for event-token and the tests.
#include "auth/jwt_algorithm.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace evs::auth {

struct token_request {
  std::string subject;
  std::optional<std::string> scope;              // nullopt: no `scope` claim (every scope)
  std::int64_t issued_at = 0;                    // Unix seconds
  std::optional<std::int64_t> lifetime_seconds;  // nullopt: no `exp`
  std::optional<std::int64_t> not_before;        // Unix seconds
  std::optional<std::string> audience;           // `aud`, for a consumer with JWT_AUDIENCE
  std::optional<std::string> issuer;             // `iss`, for a consumer with JWT_ISSUER
};

// Throws std::runtime_error when libjwt cannot sign.
std::string mint_token(const token_request& request, std::string_view secret,
                       jwt_algorithm algorithm);

}  // namespace evs::auth
