#include "auth/jwt_handle.hpp"

namespace evs::auth::detail {

jwt_alg_t to_libjwt(jwt_algorithm alg) {
  switch (alg) {
    case jwt_algorithm::hs256: return JWT_ALG_HS256;
    case jwt_algorithm::hs384: return JWT_ALG_HS384;
    case jwt_algorithm::hs512: return JWT_ALG_HS512;
  }
  return JWT_ALG_HS256;
}

}  // namespace evs::auth::detail
