#pragma once
// Bearer tokens for the tests: minted with the production minter, plus the hostile kinds
// (alg none, wrong algorithm, wrong secret, expired, not yet valid) made by hand.
#include "auth/jwt_algorithm.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace evs::test {

inline constexpr std::string_view test_secret = "integration-test-secret-of-32-bytes+";

std::int64_t unix_now();

// A valid token for test_secret and HS256; nullopt scope: no claim, every scope.
std::string make_token(std::optional<std::string> scope = std::nullopt,
                       std::string_view secret = test_secret,
                       auth::jwt_algorithm algorithm = auth::jwt_algorithm::hs256);

std::string expired_token();
std::string not_yet_valid_token();
// {"alg":"none"} with an empty signature.
std::string unsigned_token();

std::string bearer(std::string_view token);

}  // namespace evs::test
