#pragma once
#include <cstddef>
#include <optional>
#include <string_view>

namespace evs::auth {

// Only HMAC algorithms: the consumer and the token tool share one secret.
enum class jwt_algorithm { hs256, hs384, hs512 };

// The shortest HMAC key we accept: as long as HS256's output (RFC 7518 3.2 asks at least that);
// a shorter one can be guessed offline from a single token.
inline constexpr std::size_t min_secret_bytes = 32;

std::optional<jwt_algorithm> parse_jwt_algorithm(std::string_view name);
std::string_view jwt_algorithm_name(jwt_algorithm alg);

}  // namespace evs::auth
