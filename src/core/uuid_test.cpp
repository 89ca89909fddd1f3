#include "core/uuid.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <regex>
#include <set>
#include <string>

namespace evs::core {
namespace {

const std::regex v7_format{"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"};

// The random bits drawn in a fixed order, so the same generator state gives the same id.
std::string make_uuid_v7(std::int64_t unix_ms, std::mt19937_64& rng) {
  const auto a = rng();
  return core::make_uuid_v7(unix_ms, a, rng());
}

std::int64_t timestamp_ms(const std::string& uuid) {
  return std::stoll(uuid.substr(0, 8) + uuid.substr(9, 4), nullptr, 16);
}

TEST(UuidTest, HasVersion7AndRfcVariant) {
  std::mt19937_64 rng{1};
  for (int i = 0; i < 1000; ++i) {
    const auto uuid = make_uuid_v7(1'714'566'600'123, rng);
    ASSERT_EQ(uuid.size(), 36u);
    ASSERT_TRUE(std::regex_match(uuid, v7_format)) << uuid;
  }
}

TEST(UuidTest, StartsWithTheMillisecondTimestamp) {
  std::mt19937_64 rng{2};
  const std::int64_t ms = 1'714'566'600'123;  // 0x18f342215bb
  const auto uuid = make_uuid_v7(ms, rng);
  EXPECT_EQ(uuid.substr(0, 13), "018f3422-15bb") << uuid;
  EXPECT_EQ(timestamp_ms(uuid), ms);
  EXPECT_EQ(timestamp_ms(make_uuid_v7(0, rng)), 0);
}

TEST(UuidTest, SortsByTimeAcrossMilliseconds) {
  std::mt19937_64 rng{3};
  std::string previous = make_uuid_v7(1'714'566'600'000, rng);
  for (std::int64_t ms = 1'714'566'600'001; ms < 1'714'566'600'500; ++ms) {
    const auto next = make_uuid_v7(ms, rng);
    EXPECT_LT(previous, next) << "at " << ms;
    previous = next;
  }
  // Far apart too, including across a change of the leading digit.
  EXPECT_LT(make_uuid_v7(0xFFFFFFFFFF, rng), make_uuid_v7(0x10000000000, rng));
}

TEST(UuidTest, RandomBitsDifferWithinOneMillisecond) {
  std::mt19937_64 rng{4};
  std::set<std::string> seen;
  for (int i = 0; i < 10'000; ++i) seen.insert(make_uuid_v7(1'714'566'600'000, rng));
  EXPECT_EQ(seen.size(), 10'000u);
}

TEST(UuidTest, SameGeneratorStateGivesSameUuid) {
  std::mt19937_64 a{5};
  std::mt19937_64 b{5};
  EXPECT_EQ(make_uuid_v7(1'714'566'600'000, a), make_uuid_v7(1'714'566'600'000, b));
}

TEST(UuidTest, EveryRandomBitThatFitsIsUsed) {
  const auto zeros = core::make_uuid_v7(0, 0, 0);
  const auto ones = core::make_uuid_v7(0, ~std::uint64_t{0}, ~std::uint64_t{0});
  EXPECT_EQ(zeros, "00000000-0000-7000-8000-000000000000");
  EXPECT_EQ(ones, "00000000-0000-7fff-bfff-ffffffffffff");
}

}  // namespace
}  // namespace evs::core
