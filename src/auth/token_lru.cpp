#include "auth/token_lru.hpp"

namespace evs::auth {

const verified_token* token_lru::find(std::string_view token) {
  const auto it = index_.find(token);
  if (it == index_.end()) return nullptr;
  order_.splice(order_.begin(), order_, it->second);
  return &it->second->result;
}

void token_lru::erase(std::string_view token) {
  if (const auto it = index_.find(token); it != index_.end()) erase(it->second);
}

void token_lru::erase(entries::iterator it) {
  bytes_ -= it->bytes;
  index_.erase(it->token);
  order_.erase(it);
}

void token_lru::insert(std::string_view token, const verified_token& result) {
  erase(token);
  const auto cost = token.size() + result.subject.size() + entry_overhead_bytes;
  if (cost > byte_limit_) return;
  while (bytes_ + cost > byte_limit_) erase(std::prev(order_.end()));
  order_.push_front({std::string{token}, result, cost});
  index_.emplace(order_.front().token, order_.begin());
  bytes_ += cost;
}

}  // namespace evs::auth
