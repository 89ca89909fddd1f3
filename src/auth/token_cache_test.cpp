#include "auth/token_cache.hpp"

#include "auth/token_lru.hpp"
#include "auth/token_minter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace evs::auth {
namespace {

constexpr std::int64_t now = 1'700'000'000;
constexpr std::string_view secret = "secret";

std::string bearer(std::optional<std::int64_t> lifetime = std::nullopt, std::string subject = "svc",
                   std::optional<std::string> scope = std::nullopt) {
  token_request r;
  r.subject = std::move(subject);
  r.issued_at = now;
  r.lifetime_seconds = lifetime;
  r.scope = std::move(scope);
  return "Bearer " + mint_token(r, secret, jwt_algorithm::hs256);
}

// The real verifier, counting the tokens it is asked to check: a hit must not reach it.
class counting_verifier final : public token_checker {
 public:
  verified_token verify(std::string_view token, std::int64_t at) const override {
    calls_.fetch_add(1, std::memory_order_relaxed);
    return real_.verify(token, at);
  }
  std::uint64_t calls() const { return calls_.load(std::memory_order_relaxed); }

 private:
  token_verifier real_{std::string{secret}, jwt_algorithm::hs256};
  mutable std::atomic<std::uint64_t> calls_{0};
};

// Subjects of equal length, so their tokens cost the cache the same.
std::string numbered_subject(std::size_t i) {
  char subject[16];
  std::snprintf(subject, sizeof subject, "svc-%05zu", i);
  return subject;
}

std::vector<std::string> distinct_headers(std::size_t count) {
  std::vector<std::string> headers;
  for (std::size_t i = 0; i < count; ++i)
    headers.push_back(bearer(std::nullopt, numbered_subject(i)));
  return headers;
}

// What one entry of `header`'s token costs, as the cache counts it.
std::size_t entry_cost(std::string_view header, std::string_view subject) {
  return header.size() - std::string_view{"Bearer "}.size() + subject.size() +
         token_lru::entry_overhead_bytes;
}

// What each token of distinct_headers() costs.
std::size_t numbered_entry_cost() {
  return entry_cost(distinct_headers(1)[0], numbered_subject(0));
}

TEST(TokenCacheTest, RepeatedTokenGetsTheSameAnswer) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  token_cache cache{verifier};
  const auto header = bearer(std::nullopt, "reader", "events:read");
  for (int i = 0; i < 3; ++i) {
    const auto result = cache.verify_header(header, now);
    ASSERT_EQ(result.status, token_status::ok);
    EXPECT_EQ(result.subject, "reader");
    EXPECT_TRUE(result.scopes.has(scope::read));
    EXPECT_FALSE(result.scopes.has(scope::write));
  }
}

TEST(TokenCacheTest, RepeatedTokenIsVerifiedOnlyOnce) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  token_cache cache{verifier};
  const auto first = bearer(std::nullopt, "first");
  const auto second = bearer(std::nullopt, "second");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(cache.verify_header(first, now).subject, "first");
    EXPECT_EQ(cache.verify_header(second, now).subject, "second");
  }
  EXPECT_EQ(cache.misses(), 2U);  // the verifier ran once per token
  EXPECT_EQ(cache.hits(), 4U);
}

TEST(TokenCacheTest, CachedTokenStillExpires) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  token_cache cache{verifier};
  const auto header = bearer(10);  // exp = now + 10
  EXPECT_EQ(cache.verify_header(header, now).status, token_status::ok);
  EXPECT_EQ(cache.verify_header(header, now + 9).status, token_status::ok);
  EXPECT_EQ(cache.verify_header(header, now + 10).status, token_status::expired);
  EXPECT_EQ(cache.verify_header(header, now + 11).status, token_status::expired);
  EXPECT_EQ(cache.hits(), 1U);  // only at now + 9; from `exp` on, the verifier answers
}

TEST(TokenCacheTest, FailuresAreReportedEveryTime) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  token_cache cache{verifier};
  const token_verifier other{"other secret", jwt_algorithm::hs256};
  token_cache other_cache{other};
  const auto header = bearer();
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(other_cache.verify_header(header, now).status, token_status::bad_signature);
    EXPECT_EQ(cache.verify_header("Bearer garbage", now).status, token_status::malformed);
    EXPECT_EQ(cache.verify_header("", now).status, token_status::missing);
  }
  EXPECT_EQ(other_cache.hits() + cache.hits(), 0U);  // a failure is never remembered
  EXPECT_EQ(other_cache.misses(), 2U);
  EXPECT_EQ(cache.misses(), 4U);
}

TEST(TokenCacheTest, SimilarHeaderDoesNotHitTheCache) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  token_cache cache{verifier};
  const auto header = bearer();
  ASSERT_EQ(cache.verify_header(header, now).status, token_status::ok);
  auto tampered = header;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_NE(cache.verify_header(tampered, now).status, token_status::ok);
  EXPECT_NE(cache.verify_header(header + "x", now).status, token_status::ok);
  EXPECT_EQ(cache.hits(), 0U);
}

TEST(TokenCacheTest, KeepsAnsweringCorrectlyPastCapacity) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  token_cache cache{verifier, {.bytes_per_shard = 2 * entry_cost(bearer(), "svc0"), .shards = 1}};
  std::vector<std::string> headers;
  for (int i = 0; i < 5; ++i) headers.push_back(bearer(std::nullopt, "svc" + std::to_string(i)));
  for (int round = 0; round < 2; ++round) {
    for (std::size_t i = 0; i < headers.size(); ++i) {
      const auto result = cache.verify_header(headers[i], now);
      ASSERT_EQ(result.status, token_status::ok);
      EXPECT_EQ(result.subject, "svc" + std::to_string(i));
    }
  }
}

TEST(TokenCacheTest, SpellingsOfOneTokenShareOneEntryAndOneVerification) {
  const counting_verifier verifier;
  token_cache cache{verifier, {.shards = 1}};
  const auto token = bearer(std::nullopt, "svc").substr(std::string_view{"Bearer "}.size());
  const std::string_view schemes[] = {"Bearer", "bearer", "BEARER", "bEaReR"};
  constexpr std::size_t spellings = 4100;
  for (std::size_t i = 0; i < spellings; ++i) {
    const auto header =
        std::string{schemes[i % 4]} + std::string(1 + i / 4, ' ') + token + std::string(i % 3, ' ');
    const auto result = cache.verify_header(header, now);
    ASSERT_EQ(result.status, token_status::ok) << "spelling " << i;
    ASSERT_EQ(result.subject, "svc");
  }
  EXPECT_EQ(verifier.calls(), 1U);
  EXPECT_EQ(cache.misses(), 1U);
  EXPECT_EQ(cache.hits(), spellings - 1U);
  EXPECT_EQ(cache.bytes(), entry_cost("Bearer " + token, "svc"));  // one entry
}

TEST(TokenCacheTest, AgreesWithTheVerifierOnHeadersAndNeverKeepsABadOne) {
  const token_verifier verifier{std::string{secret}, jwt_algorithm::hs256};
  token_cache cache{verifier, {.shards = 1}};
  const auto header = bearer();
  const auto token = header.substr(std::string_view{"Bearer "}.size());
  const std::vector<std::string> headers = {"",
                                            "Bearer",
                                            "Bearer ",
                                            "Bearer    ",
                                            "Bearer" + token,
                                            "Bearer\t" + token,
                                            "Basic " + token,
                                            " Bearer " + token,
                                            "Bearer " + token + "\t",
                                            "Bearer " + token + " x",
                                            "Bearer garbage",
                                            "Bearer a.b.c",
                                            "Bearer " + token.substr(1)};
  for (int round = 0; round < 2; ++round)
    for (const auto& h : headers)
      EXPECT_EQ(cache.verify_header(h, now).status, verifier.verify_header(h, now).status)
          << "header '" << h << "', round " << round;
  EXPECT_EQ(cache.hits(), 0U);
  EXPECT_EQ(cache.bytes(), 0U);
  EXPECT_EQ(cache.verify_header(header, now).status, token_status::ok);
  EXPECT_EQ(cache.bytes(), entry_cost(header, "svc"));
}

TEST(TokenCacheTest, HitDoesNotReachTheVerifier) {
  const counting_verifier verifier;
  token_cache cache{verifier};
  const auto header = bearer(3600, "reader", "events:read");
  ASSERT_EQ(cache.verify_header(header, now).status, token_status::ok);
  ASSERT_EQ(verifier.calls(), 1U);
  for (int i = 0; i < 10; ++i) {
    const auto result = cache.verify_header(header, now + i);
    ASSERT_EQ(result.status, token_status::ok);
    EXPECT_EQ(result.subject, "reader");
    EXPECT_TRUE(result.scopes.has(scope::read));
    EXPECT_EQ(result.expires_at, now + 3600);
  }
  EXPECT_EQ(verifier.calls(), 1U);
  EXPECT_EQ(cache.hits(), 10U);
}

TEST(TokenCacheTest, StaysWithinItsByteBoundAndKeepsTheNewestWhenFull) {
  const counting_verifier verifier;
  token_cache cache{verifier, {.bytes_per_shard = 16 * 1024, .shards = 1}};
  const auto headers = distinct_headers(300);
  const auto cost = numbered_entry_cost();
  ASSERT_LT(16 * cost, cache.byte_limit());
  for (const auto& h : headers) {
    ASSERT_EQ(cache.verify_header(h, now).status, token_status::ok);
    ASSERT_LE(cache.bytes(), cache.byte_limit());
  }
  // Full, not cleared: as many of the newest as fit are still there.
  EXPECT_GT(cache.bytes() + cost, cache.byte_limit());
  const auto kept = cache.bytes() / cost;
  const auto calls = verifier.calls();
  for (std::size_t i = headers.size() - kept; i < headers.size(); ++i)
    EXPECT_EQ(cache.verify_header(headers[i], now).status, token_status::ok);
  EXPECT_EQ(verifier.calls(), calls);
}

TEST(TokenCacheTest, EntryBiggerThanTheBoundIsNotKept) {
  const counting_verifier verifier;
  token_cache cache{verifier, {.bytes_per_shard = 100, .shards = 1}};
  const auto header = bearer();
  for (int i = 0; i < 2; ++i) EXPECT_EQ(cache.verify_header(header, now).status, token_status::ok);
  EXPECT_EQ(verifier.calls(), 2U);
  EXPECT_EQ(cache.bytes(), 0U);
}

TEST(TokenCacheTest, TokenInUseSurvivesWhileUnusedOnesAreEvicted) {
  const counting_verifier verifier;
  token_cache cache{verifier, {.bytes_per_shard = 8 * numbered_entry_cost(), .shards = 1}};
  const auto headers = distinct_headers(101);
  const auto& in_use = headers[0];
  for (std::size_t i = 1; i < headers.size(); ++i) {
    ASSERT_EQ(cache.verify_header(in_use, now).subject, numbered_subject(0));
    ASSERT_EQ(cache.verify_header(headers[i], now).status, token_status::ok);
  }
  EXPECT_EQ(verifier.calls(), 101U);  // the one in use once, each of the others once
  EXPECT_EQ(cache.hits(), 99U);

  // The last seven passed through are still there; the first one was evicted long ago.
  for (std::size_t i = headers.size() - 7; i < headers.size(); ++i)
    EXPECT_EQ(cache.verify_header(headers[i], now).status, token_status::ok);
  EXPECT_EQ(verifier.calls(), 101U);
  EXPECT_EQ(cache.verify_header(headers[1], now).subject, numbered_subject(1));
  EXPECT_EQ(verifier.calls(), 102U);
}

// Threads share shards here (more threads than shards) and evict while others look up.
TEST(TokenCacheTest, ManyThreadsGetCorrectAnswersAndCountEveryOne) {
  const counting_verifier verifier;
  token_cache cache{verifier, {.bytes_per_shard = 6 * numbered_entry_cost(), .shards = 2}};
  const auto headers = distinct_headers(24);
  constexpr int threads = 4;
  constexpr int rounds = 300;
  std::atomic<int> wrong{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      for (int r = 0; r < rounds; ++r) {
        // Mostly the thread's own few tokens, now and then any other.
        const auto i = static_cast<std::size_t>(r % 7 == 0 ? (r + t) % 24 : t * 3 + r % 3);
        const auto result = cache.verify_header(headers[i], now);
        if (result.status != token_status::ok || result.subject != numbered_subject(i)) ++wrong;
      }
    });
  for (auto& w : workers) w.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(cache.hits() + cache.misses(), static_cast<std::uint64_t>(threads * rounds));
  EXPECT_EQ(verifier.calls(), cache.misses());
  EXPECT_GT(cache.hits(), 0U);
  EXPECT_LE(cache.bytes(), cache.byte_limit());
}

}  // namespace
}  // namespace evs::auth
