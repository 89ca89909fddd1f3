#include "auth/token_cache.hpp"

namespace evs::auth {

token_cache::token_cache(const token_verifier& verifier, std::size_t capacity)
    : verifier_{verifier}, capacity_{capacity} {}

verified_token token_cache::verify_header(std::string_view authorization, std::int64_t now) {
  {
    const std::lock_guard lock{mutex_};
    if (const auto it = entries_.find(authorization); it != entries_.end()) {
      if (it->second.expires_at == 0 || now < it->second.expires_at) {
        hits_.fetch_add(1, std::memory_order_relaxed);
        return it->second;
      }
      entries_.erase(it);
    }
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  auto verified = verifier_.verify_header(authorization, now);
  if (verified.status == token_status::ok) {
    const std::lock_guard lock{mutex_};
    // Full: start over rather than track recency; real deployments use a handful of tokens.
    if (entries_.size() >= capacity_) entries_.clear();
    entries_.emplace(std::string{authorization}, verified);
  }
  return verified;
}

}  // namespace evs::auth
