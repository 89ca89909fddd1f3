#pragma once
// RAII for libjwt's jwt_t and the strings it allocates.
#include "auth/jwt_algorithm.hpp"

#include <jwt.h>

#include <cstdlib>

#include <memory>

namespace evs::auth::detail {

struct jwt_deleter {
  void operator()(jwt_t* jwt) const noexcept { jwt_free(jwt); }
};
using jwt_ptr = std::unique_ptr<jwt_t, jwt_deleter>;

struct jwt_string_deleter {
  void operator()(char* s) const noexcept { std::free(s); }  // NOLINT: libjwt allocates with malloc
};
using jwt_string = std::unique_ptr<char, jwt_string_deleter>;

jwt_alg_t to_libjwt(jwt_algorithm alg);

}  // namespace evs::auth::detail
