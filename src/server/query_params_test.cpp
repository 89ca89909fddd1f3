#include "server/query_params.hpp"

#include <gtest/gtest.h>

namespace evs::server {
namespace {

query_params decoded(std::string_view query) {
  auto params = decode_query(query);
  EXPECT_TRUE(params.has_value()) << query;
  return params.value_or(query_params{});
}

TEST(DecodeQuery, KeepsPairsInOrderWithRepeatedKeys) {
  EXPECT_EQ(decoded("event_type=click&limit=5&event_type=view"),
            (query_params{{"event_type", "click"}, {"limit", "5"}, {"event_type", "view"}}));
}

TEST(DecodeQuery, DecodesPercentEscapesAndPlusAsSpace) {
  EXPECT_EQ(decoded("since=2024-01-01T00%3A00%3A00%2B02%3A00&event_type=user+login%2Bx"),
            (query_params{{"since", "2024-01-01T00:00:00+02:00"}, {"event_type", "user login+x"}}));
  EXPECT_EQ(decoded("k%20ey=%c3%a9"), (query_params{{"k ey", "\xc3\xa9"}}));
}

TEST(DecodeQuery, KeyWithoutValueAndEmptyPairs) {
  EXPECT_EQ(decoded("cursor&&limit=&=x&a==b&"),
            (query_params{{"cursor", ""}, {"limit", ""}, {"", "x"}, {"a", "=b"}}));
  EXPECT_TRUE(decoded("").empty());
}

TEST(DecodeQuery, CharactersThatShouldHaveBeenEscapedStandForThemselves) {
  EXPECT_EQ(decoded("event_type=a|b{c}\"d\"^`[]\\<>"),
            (query_params{{"event_type", "a|b{c}\"d\"^`[]\\<>"}}));
  EXPECT_EQ(decoded("event_type=\xc3\xa9t\xc3\xa9"),
            (query_params{{"event_type", "\xc3\xa9t\xc3\xa9"}}));
  EXPECT_EQ(decoded("next=/a/b?c"), (query_params{{"next", "/a/b?c"}}));
}

TEST(DecodeQuery, BrokenEscapeRejectsTheWholeQuery) {
  for (const auto* bad : {"event_type=%zz", "event_type=%4", "event_type=%", "a=1&b=%g0", "%=1"})
    EXPECT_FALSE(decode_query(bad).has_value()) << bad;
}

}  // namespace
}  // namespace evs::server
