#include "core/base64url.hpp"

#include <gtest/gtest.h>

namespace evs::core {
namespace {

TEST(Base64urlTest, MatchesRfc4648VectorsWithoutPadding) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8") << "the URL-safe alphabet";
}

TEST(Base64urlTest, DecodeRoundTripsAndRejectsForeignCharacters) {
  using namespace std::string_literals;
  for (const std::string& text :
       {""s, "a"s, "ab"s, "abc"s, "{\"alg\":\"HS256\"}"s, "\x00\xff\x10"s})
    EXPECT_EQ(base64url_decode(base64url_encode(text)), text);
  EXPECT_EQ(base64url_decode("Zm9v+"), std::nullopt);
  EXPECT_EQ(base64url_decode("Zm9v="), std::nullopt);
}

}  // namespace
}  // namespace evs::core
