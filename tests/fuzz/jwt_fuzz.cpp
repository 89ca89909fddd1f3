// Authorization headers from anyone: verification never accepts a token it did not sign.
#include "auth/token_verifier.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const evs::auth::token_verifier verifier{"fuzzing-secret-of-at-least-32-bytes!",
                                                  evs::auth::jwt_algorithm::hs256,
                                                  {.audience = "events", .issuer = {}}};
  const std::string_view header{reinterpret_cast<const char*>(data), size};
  // Forging an HMAC is not what a fuzzer finds: any "ok" here is a verification bug.
  if (verifier.verify_header(header, 1'700'000'000).status == evs::auth::token_status::ok)
    std::abort();
  if (verifier.verify(header, 1'700'000'000).status == evs::auth::token_status::ok) std::abort();
  return 0;
}
