#include "auth/token_cache.hpp"

#include "auth/token_minter.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace evs::auth {
namespace {

constexpr std::int64_t now = 1'700'000'000;
constexpr std::string_view secret = "secret";

std::string bearer(std::optional<std::int64_t> lifetime = std::nullopt, std::string subject = "svc",
                   std::optional<std::string> scope = std::nullopt) {
  token_request r;
  r.subject = std::move(subject);
  r.issued_at = now;
  r.lifetime_seconds = lifetime;
  r.scope = std::move(scope);
  return "Bearer " + mint_token(r, secret, jwt_algorithm::hs256);
}

TEST(TokenCacheTest, RepeatedTokenGetsTheSameAnswer) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  token_cache cache{verifier};
  const auto header = bearer(std::nullopt, "reader", "events:read");
  for (int i = 0; i < 3; ++i) {
    const auto result = cache.verify_header(header, now);
    ASSERT_EQ(result.status, token_status::ok);
    EXPECT_EQ(result.subject, "reader");
    EXPECT_TRUE(result.scopes.has(scope::read));
    EXPECT_FALSE(result.scopes.has(scope::write));
  }
}

TEST(TokenCacheTest, RepeatedTokenIsVerifiedOnlyOnce) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  token_cache cache{verifier};
  const auto first = bearer(std::nullopt, "first");
  const auto second = bearer(std::nullopt, "second");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(cache.verify_header(first, now).subject, "first");
    EXPECT_EQ(cache.verify_header(second, now).subject, "second");
  }
  EXPECT_EQ(cache.misses(), 2U);  // the verifier ran once per token
  EXPECT_EQ(cache.hits(), 4U);
}

TEST(TokenCacheTest, CachedTokenStillExpires) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  token_cache cache{verifier};
  const auto header = bearer(10);  // exp = now + 10
  EXPECT_EQ(cache.verify_header(header, now).status, token_status::ok);
  EXPECT_EQ(cache.verify_header(header, now + 9).status, token_status::ok);
  EXPECT_EQ(cache.verify_header(header, now + 10).status, token_status::expired);
  EXPECT_EQ(cache.verify_header(header, now + 11).status, token_status::expired);
  EXPECT_EQ(cache.hits(), 1U);  // only at now + 9; from `exp` on, the verifier answers
}

TEST(TokenCacheTest, FailuresAreReportedEveryTime) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  token_cache cache{verifier};
  const token_verifier other{"other secret", jwt_algorithm::hs256};
  token_cache other_cache{other};
  const auto header = bearer();
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(other_cache.verify_header(header, now).status, token_status::bad_signature);
    EXPECT_EQ(cache.verify_header("Bearer garbage", now).status, token_status::malformed);
    EXPECT_EQ(cache.verify_header("", now).status, token_status::missing);
  }
  EXPECT_EQ(other_cache.hits() + cache.hits(), 0U);  // a failure is never remembered
  EXPECT_EQ(other_cache.misses(), 2U);
  EXPECT_EQ(cache.misses(), 4U);
}

TEST(TokenCacheTest, SimilarHeaderDoesNotHitTheCache) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  token_cache cache{verifier};
  const auto header = bearer();
  ASSERT_EQ(cache.verify_header(header, now).status, token_status::ok);
  auto tampered = header;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_NE(cache.verify_header(tampered, now).status, token_status::ok);
  EXPECT_NE(cache.verify_header(header + "x", now).status, token_status::ok);
  EXPECT_EQ(cache.hits(), 0U);
}

TEST(TokenCacheTest, KeepsAnsweringCorrectlyPastCapacity) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  token_cache cache{verifier, 2};
  std::vector<std::string> headers;
  for (int i = 0; i < 5; ++i) headers.push_back(bearer(std::nullopt, "svc" + std::to_string(i)));
  for (int round = 0; round < 2; ++round) {
    for (std::size_t i = 0; i < headers.size(); ++i) {
      const auto result = cache.verify_header(headers[i], now);
      ASSERT_EQ(result.status, token_status::ok);
      EXPECT_EQ(result.subject, "svc" + std::to_string(i));
    }
  }
}

}  // namespace
}  // namespace evs::auth
