#include "support/tokens.hpp"
#include "core/base64url.hpp"

#include "auth/token_minter.hpp"

#include <chrono>

namespace evs::test {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string make_token(std::optional<std::string> scope, std::string_view secret,
                       auth::jwt_algorithm algorithm) {
  auth::token_request request;
  request.subject = "integration-test";
  request.scope = std::move(scope);
  request.issued_at = unix_now();
  request.lifetime_seconds = 3600;
  return auth::mint_token(request, secret, algorithm);
}

std::string expired_token() {
  auth::token_request request;
  request.subject = "integration-test";
  request.issued_at = unix_now() - 7200;
  request.lifetime_seconds = 60;
  return auth::mint_token(request, test_secret, auth::jwt_algorithm::hs256);
}

std::string not_yet_valid_token() {
  auth::token_request request;
  request.subject = "integration-test";
  request.issued_at = unix_now();
  request.lifetime_seconds = 7200;
  request.not_before = unix_now() + 3600;
  return auth::mint_token(request, test_secret, auth::jwt_algorithm::hs256);
}

std::string unsigned_token() {
  return core::base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." +
         core::base64url_encode(R"({"sub":"intruder","scope":"events:admin"})") + ".";
}

std::string bearer(std::string_view token) { return "Bearer " + std::string{token}; }

}  // namespace evs::test
