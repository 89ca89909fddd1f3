#pragma once
#include <optional>
#include <string_view>

namespace evs::auth {

// Only HMAC algorithms: the consumer and the token tool share one secret.
enum class jwt_algorithm { hs256, hs384, hs512 };

std::optional<jwt_algorithm> parse_jwt_algorithm(std::string_view name);
std::string_view jwt_algorithm_name(jwt_algorithm alg);

}  // namespace evs::auth
