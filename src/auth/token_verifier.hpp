#pragma once
// Bearer token verification, pinned to one HMAC algorithm. The signature is checked with
// OpenSSL's HMAC and the claims read with Boost.JSON: libjwt 1.10 refuses a `typ` other than
// "JWT" (pyjwt's "at+jwt") and numbers its JSON parser cannot hold, so it only mints.
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
  invalid_time_claim,  // exp or nbf not a number, or outside what a 64-bit time holds
  unsupported_header,  // a `crit` header: extensions we do not understand (RFC 7515 4.1.11)
  wrong_audience,      // JWT_AUDIENCE is set and `aud` does not name it
  wrong_issuer,        // JWT_ISSUER is set and `iss` is not it
};

// Claims required when configured; empty means "not checked".
struct token_rules {
  std::string audience;
  std::string issuer;
};

struct verified_token {
  token_status status = token_status::missing;
  std::string subject;
  scope_set scopes = scope_set::none();
  std::int64_t expires_at = 0;  // Unix seconds; 0 when the token has no `exp`
};

// Checks one token (the text after "Bearer "); the token cache sits in front of one.
class token_checker {
 public:
  virtual ~token_checker() = default;
  // `now` is Unix seconds.
  virtual verified_token verify(std::string_view token, std::int64_t now) const = 0;
};

class token_verifier final : public token_checker {
 public:
  token_verifier(std::string secret, jwt_algorithm algorithm, token_rules rules = {});

  // `authorization` is the raw header value ("Bearer <jwt>"); `now` is Unix seconds.
  verified_token verify_header(std::string_view authorization, std::int64_t now) const;
  verified_token verify(std::string_view token, std::int64_t now) const override;

 private:
  std::string secret_;
  jwt_algorithm algorithm_;
  token_rules rules_;
};

// The message a 401 carries for each failure.
std::string_view token_status_message(token_status status);

}  // namespace evs::auth
