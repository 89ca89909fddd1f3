#include "auth/token_verifier.hpp"

#include "auth/bearer_header.hpp"
#include "core/base64url.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace evs::auth {
namespace {

namespace json = boost::json;

constexpr std::size_t max_token_bytes = 8192;

const EVP_MD* digest_for(jwt_algorithm alg) {
  switch (alg) {
    case jwt_algorithm::hs256: return EVP_sha256();
    case jwt_algorithm::hs384: return EVP_sha384();
    case jwt_algorithm::hs512: return EVP_sha512();
  }
  return EVP_sha256();
}

// A base64url part decoded and parsed as a JSON object, or nullopt.
std::optional<json::object> json_object_part(std::string_view part) {
  const auto bytes = core::base64url_decode(part);
  if (!bytes) return std::nullopt;
  boost::system::error_code ec;
  auto value = json::parse(*bytes, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

bool signature_matches(std::string_view signing_input, std::string_view signature_part,
                       std::string_view secret, jwt_algorithm alg) {
  const auto signature = core::base64url_decode(signature_part);
  if (!signature) return false;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  if (HMAC(digest_for(alg), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
           &mac_size) == nullptr)
    return false;
  return signature->size() == mac_size &&
         CRYPTO_memcmp(signature->data(), mac, mac_size) == 0;  // constant time
}

enum class time_claim { absent, valid, invalid };

// A NumericDate (RFC 7519 2): seconds, fractions allowed. With `now` in whole seconds,
// `now >= exp` is `now >= ceil(exp)`, so the value is kept rounded up.
time_claim read_time_claim(const json::object& claims, std::string_view name, std::int64_t& out) {
  const auto* value = claims.if_contains(name);
  if (value == nullptr) return time_claim::absent;
  if (value->is_int64()) {
    out = value->get_int64();
    return time_claim::valid;
  }
  if (value->is_double()) {
    const double seconds = std::ceil(value->get_double());
    // 2^63 is exact in a double; anything from it up does not fit, and the cast would be UB.
    constexpr double limit = 9223372036854775808.0;
    if (!(seconds >= -limit && seconds < limit)) return time_claim::invalid;
    out = static_cast<std::int64_t>(seconds);
    return time_claim::valid;
  }
  return time_claim::invalid;  // uint64 beyond int64, strings, arrays, ...
}

scope_set read_scopes(const json::object& claims) {
  const auto* value = claims.if_contains("scope");
  if (value == nullptr) return scope_set::all();  // tokens of the original service carry none
  if (value->is_string()) return scope_set::parse(value->get_string());
  if (value->is_array()) {
    std::string joined;
    for (const auto& item : value->get_array())
      if (item.is_string()) joined += std::string{item.get_string()} + " ";
    return scope_set::parse(joined);
  }
  return scope_set::none();
}

// RFC 7519 4.1.3: `aud` is one string or an array of them.
bool names_audience(const json::object& claims, std::string_view audience) {
  const auto* value = claims.if_contains("aud");
  if (value == nullptr) return false;
  if (value->is_string()) return value->get_string() == audience;
  if (!value->is_array()) return false;
  const auto& list = value->get_array();
  return std::any_of(list.begin(), list.end(), [&](const json::value& item) {
    return item.is_string() && item.get_string() == audience;
  });
}

bool names_issuer(const json::object& claims, std::string_view issuer) {
  const auto* value = claims.if_contains("iss");
  return value != nullptr && value->is_string() && value->get_string() == issuer;
}

verified_token refused(token_status status) {
  verified_token result;
  result.status = status;
  return result;
}

}  // namespace

token_verifier::token_verifier(std::string secret, jwt_algorithm algorithm, token_rules rules)
    : secret_{std::move(secret)}, algorithm_{algorithm}, rules_{std::move(rules)} {}

verified_token token_verifier::verify_header(std::string_view authorization,
                                             std::int64_t now) const {
  const auto token = bearer_token(authorization);
  if (!token) return {};
  return verify(*token, now);
}

verified_token token_verifier::verify(std::string_view token, std::int64_t now) const {
  // Three base64url parts; anything else is not worth decoding.
  if (token.size() > max_token_bytes || std::count(token.begin(), token.end(), '.') != 2)
    return refused(token_status::malformed);
  const auto first_dot = token.find('.');
  const auto second_dot = token.find('.', first_dot + 1);
  const auto header_part = token.substr(0, first_dot);
  const auto claims_part = token.substr(first_dot + 1, second_dot - first_dot - 1);

  const auto header = json_object_part(header_part);
  if (!header) return refused(token_status::malformed);
  // Pinned: a token naming another algorithm, `none` included, is refused whatever it carries.
  const auto* alg = header->if_contains("alg");
  if (alg == nullptr || !alg->is_string() || alg->get_string() != jwt_algorithm_name(algorithm_))
    return refused(token_status::wrong_algorithm);
  if (!signature_matches(token.substr(0, second_dot), token.substr(second_dot + 1), secret_,
                         algorithm_))
    return refused(token_status::bad_signature);
  if (header->contains("crit")) return refused(token_status::unsupported_header);

  const auto claims = json_object_part(claims_part);
  if (!claims) return refused(token_status::malformed);
  std::int64_t exp = 0;
  std::int64_t nbf = 0;
  const auto exp_claim = read_time_claim(*claims, "exp", exp);
  const auto nbf_claim = read_time_claim(*claims, "nbf", nbf);
  if (exp_claim == time_claim::invalid || nbf_claim == time_claim::invalid)
    return refused(token_status::invalid_time_claim);
  if (exp_claim == time_claim::valid && now >= exp) return refused(token_status::expired);
  if (nbf_claim == time_claim::valid && now < nbf) return refused(token_status::not_yet_valid);
  if (!rules_.audience.empty() && !names_audience(*claims, rules_.audience))
    return refused(token_status::wrong_audience);
  if (!rules_.issuer.empty() && !names_issuer(*claims, rules_.issuer))
    return refused(token_status::wrong_issuer);

  verified_token result;
  if (const auto* sub = claims->if_contains("sub"); sub != nullptr && sub->is_string())
    result.subject = std::string{sub->get_string()};
  result.scopes = read_scopes(*claims);
  result.expires_at = exp_claim == time_claim::valid ? exp : 0;
  result.status = token_status::ok;
  return result;
}

std::string_view token_status_message(token_status status) {
  switch (status) {
    case token_status::ok: return "";
    case token_status::missing: return "Not authenticated";
    case token_status::malformed: return "Could not validate credentials: malformed token";
    case token_status::bad_signature: return "Could not validate credentials: invalid signature";
    case token_status::wrong_algorithm:
      return "Could not validate credentials: token algorithm not accepted";
    case token_status::expired: return "Token has expired";
    case token_status::not_yet_valid: return "Token is not yet valid";
    case token_status::invalid_time_claim:
      return "Could not validate credentials: invalid exp or nbf claim";
    case token_status::unsupported_header:
      return "Could not validate credentials: unsupported critical header";
    case token_status::wrong_audience: return "Could not validate credentials: invalid audience";
    case token_status::wrong_issuer: return "Could not validate credentials: invalid issuer";
  }
  return "Could not validate credentials";
}

}  // namespace evs::auth
