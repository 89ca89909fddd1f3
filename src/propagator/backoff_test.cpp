#include "propagator/backoff.hpp"

#include "support/propagator_fakes.hpp"

#include <gtest/gtest.h>

namespace evs::propagator {
namespace {

using std::chrono::milliseconds;
using testing::fixed_random;

constexpr backoff_policy policy{milliseconds{100}, milliseconds{1000}, milliseconds{5000}};

TEST(Backoff, CeilingDoublesPerFailureUpToTheCap) {
  fixed_random random{0.999999};  // just under the ceiling
  backoff b{policy, random};
  const std::vector<std::int64_t> expected{100, 200, 400, 800, 1000, 1000, 1000};
  for (const auto e : expected) EXPECT_EQ(b.next_delay().count(), e);
  EXPECT_EQ(b.failures(), 7);
}

TEST(Backoff, FullJitterScalesTheWholeRange) {
  fixed_random random{0.0};
  backoff b{policy, random};
  EXPECT_EQ(b.next_delay().count(), 0);  // full jitter may retry at once
  random.set(0.5);
  EXPECT_EQ(b.next_delay().count(), 100);  // half of 200
  random.set(0.25);
  EXPECT_EQ(b.next_delay().count(), 100);  // a quarter of 400
}

TEST(Backoff, ResetStartsFromTheBaseAgain) {
  fixed_random random{0.999999};
  backoff b{policy, random};
  for (int i = 0; i < 5; ++i) b.next_delay();
  b.reset();
  EXPECT_EQ(b.failures(), 0);
  EXPECT_EQ(b.next_delay().count(), 100);
}

TEST(Backoff, RetryAfterIsAFloor) {
  fixed_random random{0.1};
  backoff b{policy, random};
  EXPECT_EQ(b.next_delay(milliseconds{3000}).count(), 3000);  // above the cap: still honoured
  random.set(0.999999);
  for (int i = 0; i < 5; ++i) b.next_delay();
  EXPECT_EQ(b.next_delay(milliseconds{10}).count(), 1000);  // jitter larger than the advice
}

TEST(Backoff, RetryAfterIsClamped) {
  fixed_random random{0.0};
  backoff b{policy, random};
  EXPECT_EQ(b.next_delay(milliseconds{3'600'000}).count(), 5000);
}

TEST(Backoff, ManyFailuresDoNotOverflow) {
  fixed_random random{0.999999};
  backoff b{policy, random};
  for (int i = 0; i < 10'000; ++i) EXPECT_LE(b.next_delay().count(), 1000);
}

}  // namespace
}  // namespace evs::propagator
