#include "auth/token_verifier.hpp"
#include "core/base64url.hpp"

#include "auth/token_minter.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace evs::auth {
namespace {

constexpr std::int64_t now = 1'700'000'000;  // 2023-11-14T22:13:20Z
constexpr std::string_view secret = "secret";

// Made with pyjwt 2.6: jwt.encode({"sub": "x"}, "secret", algorithm=...).
constexpr std::string_view pyjwt_hs256 =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0."
    "TKECX_pF_bzlcgrzGibhwL3tklDD4LdEEzXVQCw00qY";
constexpr std::string_view pyjwt_hs384 =
    "eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0."
    "MAlZqy0KoUU6CrXmocV0xMUDjpsk9bmeIoxK8MDz0liP1UZ8BvZ8N1zRC7Ucntch";
constexpr std::string_view pyjwt_hs512 =
    "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0."
    "y0RTf_SKQ2aNKw9WqhlZM-iUwaVh95zbJSoRkdbkzzAV_RZUXyufIt7WU1V-cvEZ9HpFwgLju7koR8g98O9itw";
// jwt.encode({"sub": "svc", "scope": "events:read", "exp": 4102444800}, "secret", "HS256")
constexpr std::string_view pyjwt_read_scope_hs256 =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiJzdmMiLCJzY29wZSI6ImV2ZW50czpyZWFkIiwiZXhwIjo0MTAyNDQ0ODAwfQ."
    "ujdsE5DtNOC31OOZ3ghRiNk4Ny_FN5qXaiaK2YOdxg4";

std::string mint(token_request request, jwt_algorithm alg = jwt_algorithm::hs256,
                 std::string_view key = secret) {
  return mint_token(request, key, alg);
}

token_request request_for(std::string subject) {
  token_request r;
  r.subject = std::move(subject);
  r.issued_at = now;
  return r;
}

bool has_every_scope(const verified_token& t) {
  return t.scopes.has(scope::read) && t.scopes.has(scope::write) && t.scopes.has(scope::admin);
}

// --- tokens that verify -----------------------------------------------------------------------

TEST(TokenVerifierTest, MintedTokensVerifyWithEveryAlgorithm) {
  for (const auto alg : {jwt_algorithm::hs256, jwt_algorithm::hs384, jwt_algorithm::hs512}) {
    const token_verifier verifier{std::string{secret}, alg};
    const auto token = mint(request_for("alice"), alg);
    const auto result = verifier.verify(token, now);
    EXPECT_EQ(result.status, token_status::ok) << jwt_algorithm_name(alg);
    EXPECT_EQ(result.subject, "alice");
    EXPECT_TRUE(has_every_scope(result)) << "no scope claim means every scope";
    EXPECT_EQ(result.expires_at, 0) << "no exp claim";
  }
}

TEST(TokenVerifierTest, MintedTokenCarriesScopeAndExpiry) {
  auto request = request_for("svc");
  request.scope = "events:write";
  request.lifetime_seconds = 3600;
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  const auto result = verifier.verify(mint(request), now);
  ASSERT_EQ(result.status, token_status::ok);
  EXPECT_EQ(result.subject, "svc");
  EXPECT_TRUE(result.scopes.has(scope::write));
  EXPECT_FALSE(result.scopes.has(scope::read));
  EXPECT_FALSE(result.scopes.has(scope::admin));
  EXPECT_EQ(result.expires_at, now + 3600);
}

TEST(TokenVerifierTest, AcceptsPyjwtTokens) {
  const struct {
    std::string_view token;
    jwt_algorithm alg;
  } cases[] = {{pyjwt_hs256, jwt_algorithm::hs256},
               {pyjwt_hs384, jwt_algorithm::hs384},
               {pyjwt_hs512, jwt_algorithm::hs512}};
  for (const auto& c : cases) {
    const token_verifier verifier{std::string{secret}, c.alg};
    const auto result = verifier.verify(c.token, now);
    EXPECT_EQ(result.status, token_status::ok) << jwt_algorithm_name(c.alg);
    EXPECT_EQ(result.subject, "x");
    EXPECT_TRUE(has_every_scope(result));
  }
}

TEST(TokenVerifierTest, PyjwtTokenWithScopeAndExpiry) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  const auto result = verifier.verify(pyjwt_read_scope_hs256, now);
  ASSERT_EQ(result.status, token_status::ok);
  EXPECT_EQ(result.subject, "svc");
  EXPECT_TRUE(result.scopes.has(scope::read));
  EXPECT_FALSE(result.scopes.has(scope::write));
  EXPECT_FALSE(result.scopes.has(scope::admin));
  EXPECT_EQ(result.expires_at, 4'102'444'800);
  // 2100-01-01: the same token is expired then.
  EXPECT_EQ(verifier.verify(pyjwt_read_scope_hs256, 4'102'444'800).status, token_status::expired);
}

TEST(TokenVerifierTest, EmptyScopeClaimGrantsNothing) {
  auto request = request_for("nobody");
  request.scope = "";
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  const auto result = verifier.verify(mint(request), now);
  ASSERT_EQ(result.status, token_status::ok);
  EXPECT_FALSE(result.scopes.has(scope::read));
  EXPECT_FALSE(result.scopes.has(scope::write));
  EXPECT_FALSE(result.scopes.has(scope::admin));
}

TEST(TokenVerifierTest, AdminScopeImpliesReadAndWrite) {
  auto request = request_for("root");
  request.scope = "events:admin";
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  const auto result = verifier.verify(mint(request), now);
  ASSERT_EQ(result.status, token_status::ok);
  EXPECT_TRUE(has_every_scope(result));
}

// --- signatures and algorithms ----------------------------------------------------------------

TEST(TokenVerifierTest, WrongSecretIsBadSignature) {
  const token_verifier verifier{"another secret", jwt_algorithm::hs256};
  EXPECT_EQ(verifier.verify(pyjwt_hs256, now).status, token_status::bad_signature);
  EXPECT_EQ(verifier.verify(mint(request_for("a")), now).status, token_status::bad_signature);
}

TEST(TokenVerifierTest, SecretIsNotAPrefixMatch) {
  const token_verifier verifier{"secretX", jwt_algorithm::hs256};
  EXPECT_EQ(verifier.verify(pyjwt_hs256, now).status, token_status::bad_signature);
  const token_verifier shorter{"secre", jwt_algorithm::hs256};
  EXPECT_EQ(shorter.verify(pyjwt_hs256, now).status, token_status::bad_signature);
}

TEST(TokenVerifierTest, OtherAlgorithmIsRefusedEvenWithTheRightSecret) {
  const token_verifier hs256{std::string{secret}, jwt_algorithm::hs256};
  EXPECT_EQ(hs256.verify(pyjwt_hs512, now).status, token_status::wrong_algorithm);
  EXPECT_EQ(hs256.verify(pyjwt_hs384, now).status, token_status::wrong_algorithm);
  EXPECT_EQ(hs256.verify(mint(request_for("a"), jwt_algorithm::hs512), now).status,
            token_status::wrong_algorithm);

  const token_verifier hs512{std::string{secret}, jwt_algorithm::hs512};
  EXPECT_EQ(hs512.verify(pyjwt_hs256, now).status, token_status::wrong_algorithm);
}

TEST(TokenVerifierTest, AlgNoneIsRefused) {
  const std::string header = core::base64url_encode(R"({"alg":"none","typ":"JWT"})");
  const std::string payload = core::base64url_encode(R"({"sub":"x"})");
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  for (const std::string& token :
       {header + "." + payload + ".",
        // with a lowercase or capitalised name
        core::base64url_encode(R"({"alg":"None","typ":"JWT"})") + "." + payload + ".",
        // with a signature borrowed from a valid token
        header + "." + payload + ".TKECX_pF_bzlcgrzGibhwL3tklDD4LdEEzXVQCw00qY"}) {
    const auto result = verifier.verify(token, now);
    EXPECT_NE(result.status, token_status::ok) << token;
    EXPECT_FALSE(result.scopes.has(scope::read)) << token;
    EXPECT_EQ(result.subject, "") << token;
  }
}

TEST(TokenVerifierTest, TamperedPayloadIsBadSignature) {
  // A read-only token whose payload is swapped for one without a scope claim (= every scope).
  auto request = request_for("reader");
  request.scope = "events:read";
  const auto token = mint(request);
  const auto first_dot = token.find('.');
  const auto second_dot = token.find('.', first_dot + 1);
  const std::string forged = token.substr(0, first_dot + 1) +
                             core::base64url_encode(R"({"sub":"reader","iat":1700000000})") +
                             token.substr(second_dot);
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  EXPECT_EQ(verifier.verify(forged, now).status, token_status::bad_signature);
}

TEST(TokenVerifierTest, TamperedHeaderIsRefused) {
  // Same signature, header claiming HS512: neither accepted under HS256 nor under HS512.
  const std::string token{pyjwt_hs256};
  const std::string forged =
      core::base64url_encode(R"({"alg":"HS512","typ":"JWT"})") + token.substr(token.find('.'));
  for (const auto alg : {jwt_algorithm::hs256, jwt_algorithm::hs512}) {
    const token_verifier verifier{std::string{secret}, alg};
    EXPECT_NE(verifier.verify(forged, now).status, token_status::ok) << jwt_algorithm_name(alg);
  }
}

TEST(TokenVerifierTest, GarbageIsMalformedOrBadSignature) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  EXPECT_EQ(verifier.verify("not-a-token", now).status, token_status::malformed);
  EXPECT_EQ(verifier.verify("", now).status, token_status::malformed);
  EXPECT_EQ(verifier.verify("a.b", now).status, token_status::malformed);
  EXPECT_EQ(verifier.verify("a.b.c.d", now).status, token_status::malformed);
  EXPECT_EQ(verifier.verify(std::string(10'000, 'a') + "..", now).status, token_status::malformed);
  for (const std::string bad : {"a.b.c", "..", "!!!.@@@.###", "eyJhbGciOiJIUzI1NiJ9.e30.",
                                "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln"}) {
    const auto status = verifier.verify(bad, now).status;
    EXPECT_TRUE(status == token_status::malformed || status == token_status::bad_signature)
        << bad << " -> " << static_cast<int>(status);
  }
}

// --- time claims ------------------------------------------------------------------------------

TEST(TokenVerifierTest, ExpiredTokenIsRefused) {
  auto request = request_for("late");
  request.issued_at = now - 7200;
  request.lifetime_seconds = 3600;  // expired an hour ago
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  const auto token = mint(request);
  const auto result = verifier.verify(token, now);
  EXPECT_EQ(result.status, token_status::expired);
  EXPECT_FALSE(result.scopes.has(scope::read));
  // The same token was fine before its exp.
  EXPECT_EQ(verifier.verify(token, now - 3601).status, token_status::ok);
}

TEST(TokenVerifierTest, ExpiryIsExclusive) {
  auto request = request_for("edge");
  request.lifetime_seconds = 10;  // exp = now + 10
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  const auto token = mint(request);
  EXPECT_EQ(verifier.verify(token, now + 9).status, token_status::ok);
  EXPECT_EQ(verifier.verify(token, now + 10).status, token_status::expired);
}

TEST(TokenVerifierTest, NotBeforeInTheFutureIsRefused) {
  auto request = request_for("early");
  request.not_before = now + 60;
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  const auto token = mint(request);
  EXPECT_EQ(verifier.verify(token, now).status, token_status::not_yet_valid);
  EXPECT_EQ(verifier.verify(token, now + 59).status, token_status::not_yet_valid);
  EXPECT_EQ(verifier.verify(token, now + 60).status, token_status::ok);
}

TEST(TokenVerifierTest, NotBeforeInThePastIsFine) {
  auto request = request_for("on time");
  request.not_before = now - 1;
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  EXPECT_EQ(verifier.verify(mint(request), now).status, token_status::ok);
}

// --- the Authorization header -----------------------------------------------------------------

TEST(TokenVerifierTest, HeaderWithoutBearerTokenIsMissing) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  const std::string token{pyjwt_hs256};
  for (const std::string& header :
       {std::string{}, std::string{"Bearer"}, std::string{"Bearer "}, std::string{"Bearer    "},
        std::string{"Basic dXNlcjpwYXNz"}, "Token " + token, token, std::string{"Bearertoken"}}) {
    EXPECT_EQ(verifier.verify_header(header, now).status, token_status::missing)
        << '"' << header << '"';
  }
}

TEST(TokenVerifierTest, BearerSchemeIsCaseInsensitive) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  const std::string token{pyjwt_hs256};
  for (const std::string scheme : {"Bearer ", "bearer ", "BEARER ", "bEaReR "}) {
    const auto result = verifier.verify_header(scheme + token, now);
    EXPECT_EQ(result.status, token_status::ok) << scheme;
    EXPECT_EQ(result.subject, "x");
  }
}

TEST(TokenVerifierTest, HeaderToleratesExtraSpaces) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  const std::string token{pyjwt_hs256};
  EXPECT_EQ(verifier.verify_header("Bearer   " + token + "  ", now).status, token_status::ok);
}

TEST(TokenVerifierTest, HeaderReportsTheTokensProblem) {
  const token_verifier verifier{"wrong", jwt_algorithm::hs256};
  EXPECT_EQ(verifier.verify_header("Bearer " + std::string{pyjwt_hs256}, now).status,
            token_status::bad_signature);
  EXPECT_EQ(verifier.verify_header("Bearer garbage", now).status, token_status::malformed);
}

TEST(TokenVerifierTest, MessagesForClients) {
  EXPECT_EQ(token_status_message(token_status::missing), "Not authenticated");
  for (const auto status :
       {token_status::malformed, token_status::bad_signature, token_status::wrong_algorithm,
        token_status::expired, token_status::not_yet_valid}) {
    EXPECT_FALSE(token_status_message(status).empty()) << static_cast<int>(status);
  }
  EXPECT_NE(token_status_message(token_status::expired),
            token_status_message(token_status::bad_signature));
}

}  // namespace
}  // namespace evs::auth
