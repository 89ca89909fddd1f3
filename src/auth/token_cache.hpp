#pragma once
// Verified tokens remembered by their exact text, so the HMAC and JSON work is done once per
// token rather than once per request. Bounded; an entry is used only until the token's `exp`.
#include "auth/token_verifier.hpp"

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace evs::auth {

class token_cache {
 public:
  explicit token_cache(const token_verifier& verifier, std::size_t capacity = 4096);

  // Same answers as token_verifier::verify_header; only successful checks are remembered.
  verified_token verify_header(std::string_view authorization, std::int64_t now);

 private:
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  const token_verifier& verifier_;
  std::size_t capacity_;
  std::mutex mutex_;
  std::unordered_map<std::string, verified_token, string_hash, std::equal_to<>> entries_;
};

}  // namespace evs::auth
