#pragma once
// Verified tokens remembered by the token itself (not the header's spelling), so the HMAC and
// JSON work is done once per token rather than once per request. Bounded in bytes, least
// recently used out; an entry is used only until the token's `exp`. Only successful checks are
// remembered, so a client without a valid token cannot grow it.
#include "auth/token_verifier.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace evs::auth {

struct token_cache_limits {
  std::size_t bytes_per_shard = 1024 * 1024;
  std::size_t shards = 0;  // 0: one per core, as many as the server's default I/O threads
};

class token_cache {
 public:
  explicit token_cache(const token_checker& verifier, token_cache_limits limits = {});
  ~token_cache();
  token_cache(const token_cache&) = delete;
  token_cache& operator=(const token_cache&) = delete;

  // Same answers as token_verifier::verify_header.
  verified_token verify_header(std::string_view authorization, std::int64_t now);

  // Answers taken from the cache, and the others (every failure is one, and only a header
  // with a token that is not cached yet reaches the verifier).
  std::uint64_t hits() const noexcept;
  std::uint64_t misses() const noexcept;
  // What the entries cost, counted as token_lru counts them, and the most they may.
  std::size_t bytes() const;
  std::size_t byte_limit() const noexcept;

 private:
  struct shard;
  shard& this_threads_shard() const;

  const token_checker& verifier_;
  std::size_t byte_limit_;  // per shard
  std::vector<std::unique_ptr<shard>> shards_;
};

}  // namespace evs::auth
