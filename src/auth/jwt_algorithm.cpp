#include "auth/jwt_algorithm.hpp"

namespace evs::auth {

std::optional<jwt_algorithm> parse_jwt_algorithm(std::string_view name) {
  if (name == "HS256") return jwt_algorithm::hs256;
  if (name == "HS384") return jwt_algorithm::hs384;
  if (name == "HS512") return jwt_algorithm::hs512;
  return std::nullopt;
}

std::string_view jwt_algorithm_name(jwt_algorithm alg) {
  switch (alg) {
    case jwt_algorithm::hs256: return "HS256";
    case jwt_algorithm::hs384: return "HS384";
    case jwt_algorithm::hs512: return "HS512";
  }
  return "HS256";
}

}  // namespace evs::auth
