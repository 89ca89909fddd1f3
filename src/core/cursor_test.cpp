#include "core/cursor.hpp"
#include "core/base64url.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace evs::core {
namespace {

TEST(CursorTest, RoundTrips) {
  for (const std::int64_t id :
       {std::int64_t{0}, std::int64_t{1}, std::int64_t{42}, std::int64_t{1'000'000'007},
        std::numeric_limits<std::int64_t>::max()}) {
    const auto cursor = encode_cursor(id);
    EXPECT_EQ(decode_cursor(cursor), id) << cursor;
  }
}

TEST(CursorTest, IsUrlSafeAndOpaque) {
  const auto cursor = encode_cursor(123456789);
  EXPECT_FALSE(cursor.empty());
  EXPECT_EQ(
      cursor.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos)
      << cursor << " needs no escaping in a query string";
  EXPECT_EQ(cursor.find("123456789"), std::string::npos) << "the id does not show through";
}

TEST(CursorTest, DifferentIdsGiveDifferentCursors) {
  EXPECT_NE(encode_cursor(1), encode_cursor(2));
  EXPECT_NE(encode_cursor(10), encode_cursor(100));
}

TEST(CursorTest, GarbageIsRejected) {
  for (const char* bad : {"", "42", "abc", "!!!!", "v1:42", "djE6NDI=",  // padded base64
                          "not a cursor", "djE6NDI\n"}) {
    EXPECT_FALSE(decode_cursor(bad).has_value()) << '"' << bad << '"';
  }
}

TEST(CursorTest, ForgedContentIsRejected) {
  EXPECT_EQ(decode_cursor(base64url_encode("v1:42")), 42) << "sanity: the forgery helper matches";
  for (const char* content :
       {"v1:", "v1:-5", "v1:12x", "v1: 12", "v1:+12", "v2:42", "42", "v1:99999999999999999999"}) {
    EXPECT_FALSE(decode_cursor(base64url_encode(content)).has_value()) << content;
  }
}

TEST(CursorTest, OverlongCursorIsRejected) {
  EXPECT_FALSE(decode_cursor(std::string(65, 'A')).has_value());
  EXPECT_FALSE(decode_cursor(base64url_encode("v1:" + std::string(60, '0') + "1")).has_value());
}

}  // namespace
}  // namespace evs::core
