#include "auth/scopes.hpp"

#include <gtest/gtest.h>

namespace evs::auth {
namespace {

struct expected {
  bool read;
  bool write;
  bool admin;
};

// Whether the claim grants exactly the expected scopes, with a message naming any mismatch.
::testing::AssertionResult grants(std::string_view claim, expected e) {
  const auto s = scope_set::parse(claim);
  const bool read = s.has(scope::read), write = s.has(scope::write), admin = s.has(scope::admin);
  if (read == e.read && write == e.write && admin == e.admin) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << '"' << claim << "\" grants read=" << read << " write=" << write << " admin=" << admin;
}

TEST(ScopesTest, SingleScopes) {
  EXPECT_TRUE(grants("events:read", {true, false, false}));
  EXPECT_TRUE(grants("events:write", {false, true, false}));
}

TEST(ScopesTest, AdminImpliesReadAndWrite) {
  EXPECT_TRUE(grants("events:admin", {true, true, true}));
}

TEST(ScopesTest, SpaceSeparatedList) {
  EXPECT_TRUE(grants("events:read events:write", {true, true, false}));
  EXPECT_TRUE(grants("events:write events:read", {true, true, false}));
  EXPECT_TRUE(grants("events:read  events:write", {true, true, false}));
  EXPECT_TRUE(grants(" events:read ", {true, false, false}));
  EXPECT_TRUE(grants("events:read events:admin", {true, true, true}));
}

TEST(ScopesTest, ReadAndWriteDoNotMakeAdmin) {
  EXPECT_TRUE(grants("events:read events:write", {true, true, false}));
}

TEST(ScopesTest, UnknownAndMisspelledScopesGrantNothing) {
  EXPECT_TRUE(grants("", {false, false, false}));
  EXPECT_TRUE(grants("openid profile", {false, false, false}));
  EXPECT_TRUE(grants("EVENTS:READ", {false, false, false}));
  EXPECT_TRUE(grants("events:reader", {false, false, false}));
  EXPECT_TRUE(grants("events:read,events:write", {false, false, false}));
  EXPECT_TRUE(grants("events", {false, false, false}));
  EXPECT_TRUE(grants("openid events:write profile", {false, true, false}));
}

TEST(ScopesTest, AllAndNone) {
  const auto all = scope_set::all();
  EXPECT_TRUE(all.has(scope::read));
  EXPECT_TRUE(all.has(scope::write));
  EXPECT_TRUE(all.has(scope::admin));
  const auto none = scope_set::none();
  EXPECT_FALSE(none.has(scope::read));
  EXPECT_FALSE(none.has(scope::write));
  EXPECT_FALSE(none.has(scope::admin));
}

TEST(ScopesTest, NamesAreTheClaimWords) {
  for (const auto s : {scope::read, scope::write, scope::admin}) {
    EXPECT_TRUE(scope_set::parse(scope_name(s)).has(s)) << scope_name(s);
  }
  EXPECT_EQ(scope_name(scope::read), "events:read");
  EXPECT_EQ(scope_name(scope::write), "events:write");
  EXPECT_EQ(scope_name(scope::admin), "events:admin");
}

}  // namespace
}  // namespace evs::auth
