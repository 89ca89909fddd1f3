#include "auth/token_verifier.hpp"

#include "auth/jwt_handle.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>

namespace evs::auth {
namespace {

// The claim as JSON text, or nullptr when absent.
detail::jwt_string claim_json(jwt_t* jwt, const char* name) {
  return detail::jwt_string{jwt_get_grants_json(jwt, name)};
}

// Reads an integer time claim. absent -> nullopt; present but not an integer -> false.
bool read_time_claim(jwt_t* jwt, const char* name, std::optional<std::int64_t>& out) {
  const auto json = claim_json(jwt, name);
  if (!json) return true;
  boost::system::error_code ec;
  const auto value = boost::json::parse(json.get(), ec);
  if (ec) return false;
  if (value.is_int64()) {
    out = value.get_int64();
  } else if (value.is_uint64()) {
    out = static_cast<std::int64_t>(value.get_uint64());
  } else if (value.is_double()) {
    out = static_cast<std::int64_t>(value.get_double());
  } else {
    return false;
  }
  return true;
}

scope_set read_scopes(jwt_t* jwt) {
  const auto json = claim_json(jwt, "scope");
  if (!json) return scope_set::all();  // tokens of the original service carry no scope
  boost::system::error_code ec;
  const auto value = boost::json::parse(json.get(), ec);
  if (ec) return scope_set::none();
  if (value.is_string()) return scope_set::parse(value.get_string());
  if (value.is_array()) {
    std::string joined;
    for (const auto& item : value.get_array())
      if (item.is_string()) joined += std::string{item.get_string()} + " ";
    return scope_set::parse(joined);
  }
  return scope_set::none();
}

}  // namespace

token_verifier::token_verifier(std::string secret, jwt_algorithm algorithm)
    : secret_{std::move(secret)}, algorithm_{algorithm} {}

verified_token token_verifier::verify_header(std::string_view authorization,
                                             std::int64_t now) const {
  constexpr std::string_view scheme = "bearer ";
  if (authorization.size() <= scheme.size()) return {};
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if ((authorization[i] | 0x20) != scheme[i]) return {};
  auto token = authorization.substr(scheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return {};
  return verify(token, now);
}

verified_token token_verifier::verify(std::string_view token, std::int64_t now) const {
  verified_token result;
  // Three base64url parts; anything else is not worth handing to libjwt.
  if (token.size() > 8192 || std::count(token.begin(), token.end(), '.') != 2) {
    result.status = token_status::malformed;
    return result;
  }
  const std::string token_text{token};
  jwt_t* raw = nullptr;
  // Always decode WITH the key: libjwt 1.10 skips verification when given none.
  const int rc =
      jwt_decode(&raw, token_text.c_str(), reinterpret_cast<const unsigned char*>(secret_.data()),
                 static_cast<int>(secret_.size()));
  const detail::jwt_ptr jwt{raw};
  if (rc != 0 || !jwt) {
    result.status = token_status::bad_signature;
    return result;
  }
  // libjwt verifies with whatever HMAC the token names: pin ours.
  if (jwt_get_alg(jwt.get()) != detail::to_libjwt(algorithm_)) {
    result.status = token_status::wrong_algorithm;
    return result;
  }
  std::optional<std::int64_t> exp, nbf;
  if (!read_time_claim(jwt.get(), "exp", exp) || !read_time_claim(jwt.get(), "nbf", nbf)) {
    result.status = token_status::malformed;
    return result;
  }
  if (exp && now >= *exp) {
    result.status = token_status::expired;
    return result;
  }
  if (nbf && now < *nbf) {
    result.status = token_status::not_yet_valid;
    return result;
  }
  if (const char* sub = jwt_get_grant(jwt.get(), "sub")) result.subject = sub;
  result.scopes = read_scopes(jwt.get());
  result.expires_at = exp.value_or(0);
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
  }
  return "Could not validate credentials";
}

}  // namespace evs::auth
