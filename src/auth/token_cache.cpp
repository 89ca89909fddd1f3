#include "auth/token_cache.hpp"

#include "auth/bearer_header.hpp"
#include "auth/token_lru.hpp"
#include "runtime/thread_number.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

namespace evs::auth {

// Shards chosen by thread, each with its own mutex, rather than thread_local caches: a shard
// lives and dies with its cache (no entries left on threads after the cache is gone, no
// lookup keyed by a cache's address that a later cache could reuse), and two threads that
// share a shard are still correct. The mutex is uncontended while each I/O thread has its own
// shard, and costs nanoseconds beside the microseconds of an HMAC check. A line per shard keeps
// one thread's counters from slowing another's.
struct alignas(64) token_cache::shard {
  explicit shard(std::size_t byte_limit) : entries{byte_limit} {}
  std::mutex mutex;
  token_lru entries;
  std::atomic<std::uint64_t> hits{0};
  std::atomic<std::uint64_t> misses{0};
};

token_cache::token_cache(const token_checker& verifier, token_cache_limits limits)
    : verifier_{verifier}, byte_limit_{limits.bytes_per_shard} {
  const std::size_t count =
      limits.shards != 0 ? limits.shards : std::max(1U, std::thread::hardware_concurrency());
  shards_.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    shards_.push_back(std::make_unique<shard>(limits.bytes_per_shard));
}

token_cache::~token_cache() = default;

token_cache::shard& token_cache::this_threads_shard() const {
  return *shards_[runtime::this_thread_number() % shards_.size()];
}

verified_token token_cache::verify_header(std::string_view authorization, std::int64_t now) {
  // Parsed as the verifier parses it: a header without a token is never looked up or kept.
  auto& s = this_threads_shard();
  const auto token = bearer_token(authorization);
  if (!token) {
    s.misses.fetch_add(1, std::memory_order_relaxed);
    return {};
  }
  {
    const std::lock_guard lock{s.mutex};
    if (const auto* found = s.entries.find(*token)) {
      if (found->expires_at == 0 || now < found->expires_at) {
        s.hits.fetch_add(1, std::memory_order_relaxed);
        return *found;
      }
      s.entries.erase(*token);
    }
  }
  s.misses.fetch_add(1, std::memory_order_relaxed);
  auto verified = verifier_.verify(*token, now);
  if (verified.status == token_status::ok) {
    const std::lock_guard lock{s.mutex};
    s.entries.insert(*token, verified);
  }
  return verified;
}

std::uint64_t token_cache::hits() const noexcept {
  std::uint64_t total = 0;
  for (const auto& s : shards_) total += s->hits.load(std::memory_order_relaxed);
  return total;
}

std::uint64_t token_cache::misses() const noexcept {
  std::uint64_t total = 0;
  for (const auto& s : shards_) total += s->misses.load(std::memory_order_relaxed);
  return total;
}

std::size_t token_cache::bytes() const {
  std::size_t total = 0;
  for (const auto& s : shards_) {
    const std::lock_guard lock{s->mutex};
    total += s->entries.bytes();
  }
  return total;
}

std::size_t token_cache::byte_limit() const noexcept { return byte_limit_ * shards_.size(); }

}  // namespace evs::auth
