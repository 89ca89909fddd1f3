#include "runtime/uuid.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <string>

namespace evs::runtime {
namespace {

const std::regex v7_format{"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"};

std::int64_t timestamp_ms(const std::string& uuid) {
  return std::stoll(uuid.substr(0, 8) + uuid.substr(9, 4), nullptr, 16);
}

class stopped_clock final : public clock {
 public:
  explicit stopped_clock(std::int64_t unix_ms) : wall_{std::chrono::milliseconds{unix_ms}} {}
  wall_time wall_now() const override { return wall_; }
  steady_time steady_now() const override { return {}; }

 private:
  wall_time wall_;
};

TEST(RuntimeUuidTest, TimePartComesFromTheInjectedClock) {
  const stopped_clock at{1'714'566'600'123};
  seeded_random random{1};
  const auto uuid = make_uuid_v7(at, random);
  EXPECT_TRUE(std::regex_match(uuid, v7_format)) << uuid;
  EXPECT_EQ(timestamp_ms(uuid), 1'714'566'600'123);
}

TEST(RuntimeUuidTest, RandomPartComesFromTheInjectedRandomness) {
  const stopped_clock at{1'714'566'600'123};
  seeded_random a{7};
  seeded_random b{7};
  seeded_random c{8};
  const auto first = make_uuid_v7(at, a);
  EXPECT_EQ(first, make_uuid_v7(at, b));
  EXPECT_NE(first, make_uuid_v7(at, c));
}

TEST(RuntimeUuidTest, SystemClockAndRandomnessGiveCurrentUniqueIds) {
  const system_clock now;
  system_random random;
  const auto before = now.wall_now_ms();
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(make_uuid_v7(now, random));
  const auto after = now.wall_now_ms();
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_GE(timestamp_ms(*seen.begin()), before);
  EXPECT_LE(timestamp_ms(*seen.rbegin()), after);
}

TEST(RandomSourceTest, UniformStaysInTheUnitInterval) {
  seeded_random random{3};
  double low = 1;
  double high = 0;
  for (int i = 0; i < 10'000; ++i) {
    const double u = random.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    low = std::min(low, u);
    high = std::max(high, u);
  }
  EXPECT_LT(low, 0.01);
  EXPECT_GT(high, 0.99);
}

}  // namespace
}  // namespace evs::runtime
