#include "core/rfc3339.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace evs::core {
namespace {

constexpr std::int64_t second = 1'000'000;
// 2024-05-01T12:30:00Z
constexpr std::int64_t may_first = 1'714'566'600 * second;

TEST(Rfc3339Test, ParsesUtc) {
  EXPECT_EQ(parse_rfc3339("2024-05-01T12:30:00Z"), may_first);
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_rfc3339("1969-12-31T23:59:59Z"), -second);
}

TEST(Rfc3339Test, OffsetsAreAppliedToReachUtc) {
  EXPECT_EQ(parse_rfc3339("2024-05-01T14:30:00+02:00"), may_first);
  EXPECT_EQ(parse_rfc3339("2024-05-01T07:30:00-05:00"), may_first);
  EXPECT_EQ(parse_rfc3339("2024-05-01T18:00:00+05:30"), may_first);
  EXPECT_EQ(parse_rfc3339("2024-05-01T12:30:00+00:00"), may_first);
  EXPECT_EQ(parse_rfc3339("2024-05-01T12:30:00-00:00"), may_first);
  // An offset can move the instant to another day.
  EXPECT_EQ(parse_rfc3339("2024-05-02T01:30:00+13:00"), may_first);
}

TEST(Rfc3339Test, AcceptsLowercaseAndSpaceSeparators) {
  EXPECT_EQ(parse_rfc3339("2024-05-01t12:30:00z"), may_first);
  EXPECT_EQ(parse_rfc3339("2024-05-01 12:30:00Z"), may_first);
}

TEST(Rfc3339Test, FractionsAreKeptToTheMicrosecond) {
  EXPECT_EQ(parse_rfc3339("2024-05-01T12:30:00.5Z"), may_first + 500'000);
  EXPECT_EQ(parse_rfc3339("2024-05-01T12:30:00.123Z"), may_first + 123'000);
  EXPECT_EQ(parse_rfc3339("2024-05-01T12:30:00.123456Z"), may_first + 123'456);
  EXPECT_EQ(parse_rfc3339("2024-05-01T12:30:00.000001Z"), may_first + 1);
  // Nanoseconds are accepted; what is below a microsecond is dropped.
  EXPECT_EQ(parse_rfc3339("2024-05-01T12:30:00.123456789Z"), may_first + 123'456);
  EXPECT_EQ(parse_rfc3339("2024-05-01T14:30:00.25+02:00"), may_first + 250'000);
}

TEST(Rfc3339Test, LeapYears) {
  EXPECT_EQ(parse_rfc3339("2024-02-29T00:00:00Z"), 1'709'164'800 * second);
  EXPECT_TRUE(parse_rfc3339("2000-02-29T00:00:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339("2023-02-29T00:00:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339("1900-02-29T00:00:00Z").has_value());
}

TEST(Rfc3339Test, LeapSecondIsTheNextSecond) {
  EXPECT_EQ(parse_rfc3339("2016-12-31T23:59:60Z"), parse_rfc3339("2017-01-01T00:00:00Z"));
}

TEST(Rfc3339Test, RejectsImpossibleDatesAndTimes) {
  for (const char* bad : {
           "2024-02-30T00:00:00Z",  // no February 30th
           "2024-04-31T00:00:00Z",  // April has 30 days
           "2024-13-01T00:00:00Z",  // month 13
           "2024-00-10T00:00:00Z",  // month 0
           "2024-05-00T00:00:00Z",  // day 0
           "2024-05-32T00:00:00Z",  // day 32
           "2024-05-01T24:00:00Z",  // hour 24
           "2024-05-01T12:60:00Z",  // minute 60
           "2024-05-01T12:30:61Z",  // second 61
           "2024-05-01T12:30:00+24:00",
           "2024-05-01T12:30:00+02:60",
       }) {
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
  }
}

TEST(Rfc3339Test, RejectsMalformedText) {
  for (const char* bad : {
           "",
           "2024-05-01",                       // date only
           "2024-05-01T12:30:00",              // no offset
           "2024-05-01T12:30Z",                // no seconds
           "2024-05-01X12:30:00Z",             // wrong separator
           "2024/05/01T12:30:00Z",             // wrong date separator
           "24-05-01T12:30:00Z",               // two-digit year
           "2024-5-1T12:30:00Z",               // unpadded
           "2024-05-01T12:30:00.Z",            // dot without digits
           "2024-05-01T12:30:00.1234567890Z",  // more than nanoseconds
           "2024-05-01T12:30:00+0200",         // offset without colon
           "2024-05-01T12:30:00+02",           // offset without minutes
           "2024-05-01T12:30:00ZZ",            // trailing text
           "2024-05-01T12:30:00Z ",            // trailing space
           " 2024-05-01T12:30:00Z",            // leading space
           "2024-05-01T12:30:00 UTC",
           "yesterday",
           "1714566600",
       }) {
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << '"' << bad << '"';
  }
}

TEST(Rfc3339Test, FormatsUtcWithMicroseconds) {
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_rfc3339(may_first), "2024-05-01T12:30:00.000000Z");
  EXPECT_EQ(format_rfc3339(may_first + 123'456), "2024-05-01T12:30:00.123456Z");
  EXPECT_EQ(format_rfc3339(1'709'164'800 * second + 1), "2024-02-29T00:00:00.000001Z");
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59.999999Z");
}

TEST(Rfc3339Test, FormatThenParseIsTheIdentity) {
  for (const std::int64_t micros :
       {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, may_first, may_first + 999'999,
        std::int64_t{253'402'300'799} * second + 999'999,  // 9999-12-31T23:59:59.999999Z
        std::int64_t{951'782'400} * second}) {             // 2000-02-29
    const auto text = format_rfc3339(micros);
    EXPECT_EQ(parse_rfc3339(text), micros) << text;
  }
}

TEST(Rfc3339Test, ParseThenFormatNormalisesToUtc) {
  const auto parsed = parse_rfc3339("2024-05-01T14:30:00.5+02:00");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(format_rfc3339(*parsed), "2024-05-01T12:30:00.500000Z");
}

}  // namespace
}  // namespace evs::core
