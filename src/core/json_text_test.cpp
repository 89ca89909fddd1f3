#include "core/json_text.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <limits>
#include <string>

namespace evs::core {
namespace {

namespace json = boost::json;

std::string reformat(std::string_view text) { return to_json_text(json::parse(text)); }

TEST(JsonTextTest, ScalarsAreCompact) {
  EXPECT_EQ(reformat("null"), "null");
  EXPECT_EQ(reformat("true"), "true");
  EXPECT_EQ(reformat("false"), "false");
  EXPECT_EQ(reformat("0"), "0");
  EXPECT_EQ(reformat("-17"), "-17");
  EXPECT_EQ(reformat(R"("text")"), R"("text")");
}

TEST(JsonTextTest, FloatsKeepTheirShortestForm) {
  EXPECT_EQ(reformat("1.5"), "1.5");
  EXPECT_EQ(reformat("0.1"), "0.1");
  EXPECT_EQ(reformat("2.50"), "2.5");
  EXPECT_EQ(reformat("3.141592653589793"), "3.141592653589793");
  EXPECT_EQ(reformat("-273.15"), "-273.15");
}

TEST(JsonTextTest, FloatsStayFloats) {
  // 1.0 must not come back as the integer 1: a client would see its type change.
  EXPECT_EQ(reformat("1.0"), "1.0");
  EXPECT_EQ(reformat("100.0"), "100.0");
  EXPECT_EQ(reformat("-0.0"), "-0.0");
  EXPECT_EQ(reformat("1e2"), "100.0");
  const auto big = reformat("1e300");
  EXPECT_EQ(json::parse(big), json::value(1e300)) << big;
  EXPECT_TRUE(json::parse(big).is_double()) << big;
  const auto tiny = reformat("1e-7");
  EXPECT_EQ(json::parse(tiny), json::value(1e-7)) << tiny;
}

TEST(JsonTextTest, IntegerExtremesAreExact) {
  EXPECT_EQ(reformat("9223372036854775807"), "9223372036854775807");
  EXPECT_EQ(reformat("-9223372036854775808"), "-9223372036854775808");
  EXPECT_EQ(reformat("18446744073709551615"), "18446744073709551615");
}

TEST(JsonTextTest, NonFiniteNumbersBecomeNull) {
  EXPECT_EQ(to_json_text(json::value(std::numeric_limits<double>::infinity())), "null");
  EXPECT_EQ(to_json_text(json::value(std::numeric_limits<double>::quiet_NaN())), "null");
}

TEST(JsonTextTest, ContainersKeepMemberOrderAndDropWhitespace) {
  EXPECT_EQ(reformat(R"( { "z" : 1 , "a" : [ 1 , { } , [ ] ] , "m" : { "k" : null } } )"),
            R"({"z":1,"a":[1,{},[]],"m":{"k":null}})");
  EXPECT_EQ(reformat("[]"), "[]");
  EXPECT_EQ(reformat("{}"), "{}");
}

TEST(JsonTextTest, StringsAreEscapedAndUnicodeSurvives) {
  const std::string original = "quote\" back\\ nl\n tab\t ctl\x01 caf\xC3\xA9 \xF0\x9F\x98\x80";
  const auto text = to_json_text(json::value(original));
  EXPECT_EQ(json::parse(text).as_string(), original) << text;
  EXPECT_EQ(text.find('\n'), std::string::npos) << "control characters are escaped";
  EXPECT_NE(text.find("caf\xC3\xA9"), std::string::npos) << "UTF-8 is written as is";
}

TEST(JsonTextTest, ObjectKeysAreEscaped) {
  const auto text = reformat(R"({"a\"b":1,"\u00e9":2})");
  EXPECT_EQ(text, "{\"a\\\"b\":1,\"\xC3\xA9\":2}");
}

TEST(JsonTextTest, AppendAddsToWhatIsThere) {
  std::string out = "prefix:";
  append_json(out, json::parse("[1.0]"));
  EXPECT_EQ(out, "prefix:[1.0]");
  append_json_string(out, "x\"y");
  EXPECT_EQ(out, R"(prefix:[1.0]"x\"y")");
}

TEST(JsonTextTest, ReformattingIsStable) {
  const std::string once =
      reformat(R"({"n":[1.5,1.0,-0.0,10,0.1,1e21,1e-9],"s":"\u00e9\n","o":{"b":false}})");
  EXPECT_EQ(reformat(once), once);
}

}  // namespace
}  // namespace evs::core
