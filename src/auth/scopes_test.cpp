#include "auth/scopes.hpp"

#include <gtest/gtest.h>

namespace evs::auth {
namespace {

struct expected {
  bool read;
  bool write;
  bool admin;
};

void expect_scopes(std::string_view claim, expected e) {
  const auto s = scope_set::parse(claim);
  EXPECT_EQ(s.has(scope::read), e.read) << '"' << claim << '"';
  EXPECT_EQ(s.has(scope::write), e.write) << '"' << claim << '"';
  EXPECT_EQ(s.has(scope::admin), e.admin) << '"' << claim << '"';
}

TEST(ScopesTest, SingleScopes) {
  expect_scopes("events:read", {true, false, false});
  expect_scopes("events:write", {false, true, false});
}

TEST(ScopesTest, AdminImpliesReadAndWrite) { expect_scopes("events:admin", {true, true, true}); }

TEST(ScopesTest, SpaceSeparatedList) {
  expect_scopes("events:read events:write", {true, true, false});
  expect_scopes("events:write events:read", {true, true, false});
  expect_scopes("events:read  events:write", {true, true, false});
  expect_scopes(" events:read ", {true, false, false});
  expect_scopes("events:read events:admin", {true, true, true});
}

TEST(ScopesTest, ReadAndWriteDoNotMakeAdmin) {
  expect_scopes("events:read events:write", {true, true, false});
}

TEST(ScopesTest, UnknownAndMisspelledScopesGrantNothing) {
  expect_scopes("", {false, false, false});
  expect_scopes("openid profile", {false, false, false});
  expect_scopes("EVENTS:READ", {false, false, false});
  expect_scopes("events:reader", {false, false, false});
  expect_scopes("events:read,events:write", {false, false, false});
  expect_scopes("events", {false, false, false});
  expect_scopes("openid events:write profile", {false, true, false});
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
