#include "core/json_raw.hpp"

#include <gtest/gtest.h>

namespace evs::core {
namespace {

using values = std::vector<std::optional<std::string_view>>;

TEST(JsonRawTest, ObjectMemberIsReturnedExactlyAsWritten) {
  EXPECT_EQ(raw_member_values(R"({"a":1,"p": {"n": 18446744073709551617, "x":[1.50, -0]} })", "p"),
            (values{R"({"n": 18446744073709551617, "x":[1.50, -0]})"}));
  EXPECT_EQ(raw_member_values(R"({"p":"caf\u00e9 \"q\""})", "p"), (values{R"("caf\u00e9 \"q\"")"}));
  EXPECT_EQ(raw_member_values(R"({"p":1e400})", "p"), (values{"1e400"}));
}

TEST(JsonRawTest, ArrayGivesOneEntryPerElement) {
  const auto v = raw_member_values(R"( [ {"p":[1,{"p":2}]}, 5, {"q":1}, {"p":"}]"} ] )", "p");
  EXPECT_EQ(v, (values{"[1,{\"p\":2}]", std::nullopt, std::nullopt, "\"}]\""}));
  EXPECT_TRUE(raw_member_values("[]", "p").empty());
}

TEST(JsonRawTest, LastDuplicateWinsAsTheParserKeepsIt) {
  EXPECT_EQ(raw_member_values(R"({"p":1,"p":"two"})", "p"), (values{R"("two")"}));
}

TEST(JsonRawTest, EscapedKeysAreDecodedBeforeComparing) {
  EXPECT_EQ(raw_member_values(R"({"\u0070":true})", "p"), (values{"true"}));
  EXPECT_EQ(raw_member_values(R"({"p\\":1})", "p"), (values{std::nullopt}));
}

TEST(JsonRawTest, StringsWithBracketsAndEscapedQuotesDoNotConfuseNesting) {
  EXPECT_EQ(raw_member_values(R"({"a":"{[\"","p":{"k":"]}\\"},"z":0})", "p"),
            (values{R"({"k":"]}\\"})"}));
}

}  // namespace
}  // namespace evs::core
