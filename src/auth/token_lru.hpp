#pragma once
// Verified tokens by their text, bounded in bytes, least recently used first out. Not
// synchronised: the token cache gives each shard its own, behind the shard's mutex.
#include "auth/token_verifier.hpp"

#include <cstddef>
#include <functional>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace evs::auth {

class token_lru {
 public:
  // What an entry costs besides its token and subject text: the list node, the map node and
  // bucket, and the allocator's headers (about 200 bytes with libstdc++ on x86-64), rounded up.
  static constexpr std::size_t entry_overhead_bytes = 256;

  explicit token_lru(std::size_t byte_limit) : byte_limit_{byte_limit} {}
  token_lru(const token_lru&) = delete;
  token_lru& operator=(const token_lru&) = delete;

  // The entry of exactly this token, now the most recently used; nullptr when absent.
  const verified_token* find(std::string_view token);
  void erase(std::string_view token);
  // Keeps `token` as the most recently used entry, dropping the least recently used ones until
  // it fits. An entry bigger than the whole bound is not kept.
  void insert(std::string_view token, const verified_token& result);

  std::size_t bytes() const noexcept { return bytes_; }
  std::size_t byte_limit() const noexcept { return byte_limit_; }
  std::size_t size() const noexcept { return index_.size(); }

 private:
  struct entry {
    std::string token;
    verified_token result;
    std::size_t bytes = 0;
  };
  using entries = std::list<entry>;  // front: most recently used

  void erase(entries::iterator it);

  std::size_t byte_limit_;
  std::size_t bytes_ = 0;
  entries order_;
  // Keys view the token text inside the list nodes, which never move; a lookup compares the
  // whole token, so no two tokens can share an entry.
  std::unordered_map<std::string_view, entries::iterator> index_;
};

}  // namespace evs::auth
