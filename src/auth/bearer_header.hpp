#pragma once
// The token inside an `Authorization: Bearer <token>` header value. The verifier and the token
// cache both read it here, so they agree on which headers carry a token and what it is.
#include <optional>
#include <string_view>

namespace evs::auth {

// The token after a case-insensitive "Bearer" and one or more spaces, trailing spaces dropped;
// nullopt when the header has no such token (the request is then unauthenticated).
std::optional<std::string_view> bearer_token(std::string_view authorization);

}  // namespace evs::auth
