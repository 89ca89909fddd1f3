#pragma once
// Verified tokens remembered by their exact text, so the HMAC and JSON work is done once per
// token rather than once per request. Bounded; an entry is used only until the token's `exp`.
#include "auth/token_verifier.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
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

  // Answers taken from the cache, and answers that needed the verifier (every failure is one).
  std::uint64_t hits() const noexcept { return hits_.load(std::memory_order_relaxed); }
  std::uint64_t misses() const noexcept { return misses_.load(std::memory_order_relaxed); }

 private:
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  const token_verifier& verifier_;
  std::size_t capacity_;
  std::mutex mutex_;
  std::unordered_map<std::string, verified_token, string_hash, std::equal_to<>> entries_;
  std::atomic<std::uint64_t> hits_{0};
  std::atomic<std::uint64_t> misses_{0};
};

}  // namespace evs::auth
