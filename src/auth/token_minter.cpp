#include "auth/token_minter.hpp"

#include "auth/jwt_handle.hpp"

#include <stdexcept>

namespace evs::auth {

std::string mint_token(const token_request& request, std::string_view secret,
                       jwt_algorithm algorithm) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw std::runtime_error("cannot create a JWT");
  const detail::jwt_ptr jwt{raw};
  const std::string key{secret};
  bool ok = jwt_set_alg(jwt.get(), detail::to_libjwt(algorithm),
                        reinterpret_cast<const unsigned char*>(key.data()),
                        static_cast<int>(key.size())) == 0;
  ok = ok && jwt_add_grant(jwt.get(), "sub", request.subject.c_str()) == 0;
  ok = ok && jwt_add_grant_int(jwt.get(), "iat", request.issued_at) == 0;
  if (request.scope) ok = ok && jwt_add_grant(jwt.get(), "scope", request.scope->c_str()) == 0;
  if (request.lifetime_seconds)
    ok = ok &&
         jwt_add_grant_int(jwt.get(), "exp", request.issued_at + *request.lifetime_seconds) == 0;
  if (request.not_before) ok = ok && jwt_add_grant_int(jwt.get(), "nbf", *request.not_before) == 0;
  if (request.audience) ok = ok && jwt_add_grant(jwt.get(), "aud", request.audience->c_str()) == 0;
  if (request.issuer) ok = ok && jwt_add_grant(jwt.get(), "iss", request.issuer->c_str()) == 0;
  if (!ok) throw std::runtime_error("cannot build the JWT claims");
  const detail::jwt_string encoded{jwt_encode_str(jwt.get())};
  if (!encoded) throw std::runtime_error("cannot sign the JWT");
  return encoded.get();
}

}  // namespace evs::auth
