// Tokens whose signature verifies but whose header or claims are odd: each must get the answer
// RFC 7519 / RFC 7515 call for, never "every scope" and never undefined behaviour.
#include "auth/token_verifier.hpp"
#include "core/base64url.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>
#include <string>

namespace evs::auth {
namespace {

constexpr std::int64_t now = 1'700'000'000;
constexpr std::string_view secret = "0123456789abcdef0123456789abcdef";

// Signs `header.claims` with HMAC-SHA256 as any JWT library would, whatever the JSON says.
std::string signed_token(std::string_view header_json, std::string_view claims_json) {
  const std::string input =
      core::base64url_encode(header_json) + "." + core::base64url_encode(claims_json);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &mac_size);
  return input + "." +
         core::base64url_encode({reinterpret_cast<const char*>(mac), std::size_t{mac_size}});
}

std::string claims_token(std::string_view claims_json) {
  return signed_token(R"({"alg":"HS256","typ":"JWT"})", claims_json);
}

const token_verifier plain_verifier{std::string{secret}, jwt_algorithm::hs256};

TEST(TokenClaimsTest, SignedHelperMakesTokensTheVerifierAccepts) {
  const auto result = plain_verifier.verify(claims_token(R"({"sub":"ok"})"), now);
  EXPECT_EQ(result.status, token_status::ok);
  EXPECT_EQ(result.subject, "ok");
}

TEST(TokenClaimsTest, ClaimsThatAreNotAnObjectAreRefused) {
  for (const char* claims : {R"(["sub","x"])", R"("x")", "5", "null", "true"}) {
    const auto result = plain_verifier.verify(claims_token(claims), now);
    EXPECT_EQ(result.status, token_status::malformed) << claims;
    EXPECT_FALSE(result.scopes.has(scope::read)) << claims;
  }
}

TEST(TokenClaimsTest, TimeClaimsOutsideInt64AreInvalid) {
  for (const char* claims :
       {R"({"nbf":1e300})", R"({"nbf":-1e300})", R"({"exp":1e300})", R"({"exp":-1e300})",
        R"({"exp":9223372036854775808})", R"({"exp":18446744073709551615})",
        R"({"nbf":99999999999999999999999})", R"({"exp":9.3e18})", R"({"exp":"soon"})",
        R"({"nbf":[1]})"}) {
    const auto result = plain_verifier.verify(claims_token(claims), now);
    EXPECT_EQ(result.status, token_status::invalid_time_claim) << claims;
    EXPECT_FALSE(result.scopes.has(scope::read)) << claims;
  }
  EXPECT_EQ(token_status_message(token_status::invalid_time_claim),
            "Could not validate credentials: invalid exp or nbf claim");
}

TEST(TokenClaimsTest, TimeClaimsAtTheEdgesOfInt64StillWork) {
  EXPECT_EQ(plain_verifier.verify(claims_token(R"({"exp":9223372036854775807})"), now).status,
            token_status::ok);
  EXPECT_EQ(plain_verifier.verify(claims_token(R"({"exp":1700000000.5})"), now).status,
            token_status::ok)
      << "fractional seconds are allowed (NumericDate), compared as seconds";
  EXPECT_EQ(plain_verifier.verify(claims_token(R"({"nbf":-9223372036854775807})"), now).status,
            token_status::ok);
  EXPECT_EQ(plain_verifier.verify(claims_token(R"({"exp":1699999999.9})"), now).status,
            token_status::expired);
}

TEST(TokenClaimsTest, CriticalHeaderExtensionsAreRefused) {
  // RFC 7515 4.1.11: a recipient that does not understand a listed extension must refuse.
  for (const char* header : {R"({"alg":"HS256","typ":"JWT","crit":["b64"],"b64":false})",
                             R"({"alg":"HS256","crit":["exp"]})", R"({"alg":"HS256","crit":[]})"}) {
    const auto result = plain_verifier.verify(signed_token(header, R"({"sub":"x"})"), now);
    EXPECT_EQ(result.status, token_status::unsupported_header) << header;
  }
}

TEST(TokenClaimsTest, TypeOtherThanJwtIsAccepted) {
  // pyjwt: jwt.encode({...}, key, headers={"typ": "at+jwt"}); RFC 9068 access tokens.
  for (const char* header : {R"({"alg":"HS256","typ":"at+jwt"})", R"({"alg":"HS256"})",
                             R"({"alg":"HS256","typ":"jwt"})"}) {
    const auto result = plain_verifier.verify(signed_token(header, R"({"sub":"x"})"), now);
    EXPECT_EQ(result.status, token_status::ok) << header;
    EXPECT_EQ(result.subject, "x") << header;
  }
}

TEST(TokenClaimsTest, HugeNumbersElsewhereInTheClaimsDoNotBreakVerification) {
  const auto result =
      plain_verifier.verify(claims_token(R"({"sub":"x","n":123456789012345678901234567890})"), now);
  EXPECT_EQ(result.status, token_status::ok);
}

TEST(TokenClaimsTest, AudienceIsRequiredAndCheckedWhenConfigured) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256,
                                token_rules{.audience = "events-api", .issuer = {}}};
  EXPECT_EQ(verifier.verify(claims_token(R"({"aud":"events-api"})"), now).status, token_status::ok);
  EXPECT_EQ(verifier.verify(claims_token(R"({"aud":["other","events-api"]})"), now).status,
            token_status::ok)
      << "aud may be an array (RFC 7519 4.1.3)";
  for (const char* claims : {R"({"sub":"x"})", R"({"aud":"other"})", R"({"aud":["other"]})",
                             R"({"aud":"Events-API"})", R"({"aud":5})", R"({"aud":[]})"}) {
    EXPECT_EQ(verifier.verify(claims_token(claims), now).status, token_status::wrong_audience)
        << claims;
  }
  EXPECT_EQ(plain_verifier.verify(claims_token(R"({"aud":"anything"})"), now).status,
            token_status::ok)
      << "without JWT_AUDIENCE, aud is not checked";
}

TEST(TokenClaimsTest, IssuerIsRequiredAndCheckedWhenConfigured) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256,
                                token_rules{.audience = {}, .issuer = "https://auth.example"}};
  EXPECT_EQ(verifier.verify(claims_token(R"({"iss":"https://auth.example"})"), now).status,
            token_status::ok);
  for (const char* claims : {R"({"sub":"x"})", R"({"iss":"https://evil.example"})",
                             R"({"iss":["https://auth.example"]})"}) {
    EXPECT_EQ(verifier.verify(claims_token(claims), now).status, token_status::wrong_issuer)
        << claims;
  }
}

TEST(TokenClaimsTest, EveryRefusalHasAMessage) {
  for (const auto status :
       {token_status::malformed, token_status::invalid_time_claim, token_status::unsupported_header,
        token_status::wrong_audience, token_status::wrong_issuer}) {
    EXPECT_TRUE(token_status_message(status).starts_with("Could not validate credentials: "))
        << static_cast<int>(status);
  }
}

}  // namespace
}  // namespace evs::auth
