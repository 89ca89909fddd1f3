#include "consumer/router.hpp"

#include <gtest/gtest.h>

#include <string>

namespace evs::consumer {
namespace {

struct case_t {
  const char* method;
  const char* path;
  endpoint target;
};

TEST(RouterTest, EveryRouteOfTheContract) {
  const case_t cases[] = {
      {"POST", "/api/event", endpoint::ingest},
      {"POST", "/event", endpoint::ingest},
      {"GET", "/api/ready", endpoint::ready},
      {"GET", "/ready", endpoint::ready},
      {"GET", "/healthz", endpoint::health},
      {"POST", "/api/events", endpoint::create_event},
      {"GET", "/api/events", endpoint::list_events},
      {"GET", "/api/events/42", endpoint::get_event},
      {"PUT", "/api/events/42", endpoint::replace_event},
      {"PATCH", "/api/events/42", endpoint::patch_event},
      {"DELETE", "/api/events/42", endpoint::delete_event},
      {"GET", "/metrics", endpoint::metrics},
      {"GET", "/openapi.json", endpoint::openapi},
      {"GET", "/docs", endpoint::docs},
      {"GET", "/docs/", endpoint::docs},
      {"GET", "/docs/swagger-ui.css", endpoint::docs_asset},
      {"GET", "/dashboard", endpoint::dashboard},
      {"GET", "/dashboard/", endpoint::dashboard},
      {"GET", "/dashboard/app.js", endpoint::dashboard_asset},
  };
  for (const auto& c : cases) {
    const auto r = match_route(c.method, c.path);
    EXPECT_EQ(r.target, c.target) << c.method << ' ' << c.path;
    EXPECT_EQ(r.allow, "") << c.method << ' ' << c.path;
  }
}

TEST(RouterTest, EventIdSegmentIsPassedOn) {
  EXPECT_EQ(match_route("GET", "/api/events/42").id, "42");
  EXPECT_EQ(match_route("DELETE", "/api/events/7").id, "7");
  EXPECT_EQ(match_route("PUT", "/api/events/123456789").id, "123456789");
  // Not a number: the handler decides (404), the router only extracts.
  EXPECT_EQ(match_route("GET", "/api/events/abc").id, "abc");
  EXPECT_EQ(match_route("GET", "/api/events/abc").target, endpoint::get_event);
}

TEST(RouterTest, DocsFileNameIsPassedOn) {
  EXPECT_EQ(match_route("GET", "/docs/swagger-ui-bundle.js").id, "swagger-ui-bundle.js");
  EXPECT_EQ(match_route("GET", "/docs/a/b").target, endpoint::not_found);
  EXPECT_EQ(match_route("GET", "/openapi.json/x").target, endpoint::not_found);
  EXPECT_EQ(match_route("GET", "/dashboard/uplot.min.js").id, "uplot.min.js");
  EXPECT_EQ(match_route("GET", "/dashboard/a/b").target, endpoint::not_found);
}

TEST(RouterTest, DashboardFollowsMetricsAndNeedsNoToken) {
  for (const auto e : {endpoint::metrics, endpoint::dashboard, endpoint::dashboard_asset}) {
    EXPECT_TRUE(follows_metrics(e));
    EXPECT_FALSE(access_for(e).token_required);
  }
  for (const auto e : {endpoint::docs, endpoint::openapi, endpoint::list_events, endpoint::health})
    EXPECT_FALSE(follows_metrics(e));
}

TEST(RouterTest, TableHasEachMethodAndPathOnce) {
  for (std::size_t i = 0; i < route_table.size(); ++i)
    for (std::size_t j = i + 1; j < route_table.size(); ++j)
      EXPECT_FALSE(route_table[i].method == route_table[j].method &&
                   route_table[i].path == route_table[j].path)
          << route_table[i].method << ' ' << route_table[i].path;
}

TEST(RouterTest, TrailingSlashIsIgnored) {
  EXPECT_EQ(match_route("POST", "/api/event/").target, endpoint::ingest);
  EXPECT_EQ(match_route("POST", "/event/").target, endpoint::ingest);
  EXPECT_EQ(match_route("GET", "/api/ready/").target, endpoint::ready);
  EXPECT_EQ(match_route("GET", "/healthz/").target, endpoint::health);
  EXPECT_EQ(match_route("GET", "/api/events/").target, endpoint::list_events);
  EXPECT_EQ(match_route("POST", "/api/events/").target, endpoint::create_event);
  const auto r = match_route("GET", "/api/events/42/");
  EXPECT_EQ(r.target, endpoint::get_event);
  EXPECT_EQ(r.id, "42");
}

TEST(RouterTest, UnknownPathsAreNotFound) {
  for (const char* path :
       {"/", "", "/api", "/api/", "/api/eventz", "/api/events/42/extra", "/api/events/42/x/",
        "/API/EVENT", "/Api/Events", "/healthz/x", "/eventsx", "/api/event/1", "/metricsx",
        "//api/event", "/api/ready/now"}) {
    for (const char* method : {"GET", "POST"}) {
      const auto r = match_route(method, path);
      EXPECT_EQ(r.target, endpoint::not_found) << method << " '" << path << "'";
      EXPECT_EQ(r.allow, "");
    }
  }
}

TEST(RouterTest, WrongMethodIsNotAllowedWithAllow) {
  const struct {
    const char* method;
    const char* path;
    const char* allow;
  } cases[] = {
      {"GET", "/api/event", "POST"},
      {"PUT", "/event", "POST"},
      {"POST", "/api/ready", "GET"},
      {"DELETE", "/ready", "GET"},
      {"POST", "/healthz", "GET"},
      {"POST", "/openapi.json", "GET"},
      {"PUT", "/docs", "GET"},
      {"DELETE", "/docs/swagger-ui.css", "GET"},
      {"DELETE", "/api/events", "GET, POST"},
      {"PUT", "/api/events", "GET, POST"},
      {"PATCH", "/api/events/", "GET, POST"},
      {"POST", "/api/events/42", "GET, PUT, PATCH, DELETE"},
      {"OPTIONS", "/api/events/42", "GET, PUT, PATCH, DELETE"},
      {"get", "/api/events/42", "GET, PUT, PATCH, DELETE"},  // methods are case-sensitive
      {"GET", "/api/event/", "POST"},
      {"POST", "/metrics", "GET"},
      {"POST", "/dashboard", "GET"},
      {"PUT", "/dashboard/app.js", "GET"},
  };
  for (const auto& c : cases) {
    const auto r = match_route(c.method, c.path);
    EXPECT_EQ(r.target, endpoint::method_not_allowed) << c.method << ' ' << c.path;
    EXPECT_EQ(r.allow, c.allow) << c.method << ' ' << c.path;
  }
}

TEST(RouterTest, AllowListsOnlyMethodsThatWork) {
  // Every method in an Allow value must itself route somewhere real.
  for (const char* path :
       {"/api/event", "/ready", "/healthz", "/api/events", "/api/events/1", "/metrics",
        "/openapi.json", "/docs", "/docs/docs.js", "/dashboard", "/dashboard/app.css"}) {
    const std::string allow = match_route("TRACE", path).allow;
    ASSERT_FALSE(allow.empty()) << path;
    std::string::size_type start = 0;
    while (start < allow.size()) {
      auto end = allow.find(", ", start);
      if (end == std::string::npos) end = allow.size();
      const auto method = allow.substr(start, end - start);
      const auto r = match_route(method, path);
      EXPECT_NE(r.target, endpoint::method_not_allowed) << method << ' ' << path;
      EXPECT_NE(r.target, endpoint::not_found) << method << ' ' << path;
      start = end + 2;
    }
  }
}

TEST(RouterTest, ScopesPerEndpoint) {
  const struct {
    endpoint e;
    bool token_required;
    std::optional<auth::scope> scope;
  } cases[] = {
      {endpoint::ingest, true, auth::scope::write},
      {endpoint::create_event, true, auth::scope::write},
      {endpoint::list_events, true, auth::scope::read},
      {endpoint::get_event, true, auth::scope::read},
      {endpoint::replace_event, true, auth::scope::admin},
      {endpoint::patch_event, true, auth::scope::admin},
      {endpoint::delete_event, true, auth::scope::admin},
      {endpoint::ready, true, std::nullopt},  // any valid token
      {endpoint::health, false, std::nullopt},
      {endpoint::metrics, false, std::nullopt},  // open by default, as exporters are
      {endpoint::openapi, false, std::nullopt},
      {endpoint::docs, false, std::nullopt},
      {endpoint::docs_asset, false, std::nullopt},
      {endpoint::not_found, false, std::nullopt},
      {endpoint::method_not_allowed, false, std::nullopt},
  };
  for (const auto& c : cases) {
    const auto rule = access_for(c.e);
    EXPECT_EQ(rule.token_required, c.token_required) << static_cast<int>(c.e);
    EXPECT_EQ(rule.scope, c.scope) << static_cast<int>(c.e);
  }
}

TEST(RouterTest, AdminTokenReachesEveryEndpointAndReadTokenCannotWrite) {
  const auto admin = auth::scope_set::parse("events:admin");
  const auto reader = auth::scope_set::parse("events:read");
  for (const auto e :
       {endpoint::ingest, endpoint::create_event, endpoint::list_events, endpoint::get_event,
        endpoint::replace_event, endpoint::patch_event, endpoint::delete_event, endpoint::ready}) {
    const auto rule = access_for(e);
    EXPECT_TRUE(!rule.scope || admin.has(*rule.scope)) << static_cast<int>(e);
  }
  EXPECT_FALSE(reader.has(*access_for(endpoint::ingest).scope));
  EXPECT_FALSE(reader.has(*access_for(endpoint::create_event).scope));
  EXPECT_FALSE(reader.has(*access_for(endpoint::delete_event).scope));
  EXPECT_TRUE(reader.has(*access_for(endpoint::list_events).scope));
}

TEST(RouterTest, WritesCarryABody) {
  for (const auto e :
       {endpoint::ingest, endpoint::create_event, endpoint::replace_event, endpoint::patch_event})
    EXPECT_TRUE(has_body(e)) << static_cast<int>(e);
  for (const auto e :
       {endpoint::ready, endpoint::health, endpoint::list_events, endpoint::get_event,
        endpoint::delete_event, endpoint::metrics, endpoint::openapi, endpoint::docs,
        endpoint::docs_asset, endpoint::not_found, endpoint::method_not_allowed})
    EXPECT_FALSE(has_body(e)) << static_cast<int>(e);
}

TEST(RouterTest, EveryRouteIsNamedAsItIsMatched) {
  // The metrics label a request with name_of(its endpoint): that name must route back to it.
  for (std::size_t i = 0; i < routed_endpoints; ++i) {
    const auto e = static_cast<endpoint>(i);
    const auto name = name_of(e);
    ASSERT_FALSE(name.method.empty()) << i;
    std::string path{name.path};
    if (const auto id = path.find("{id}"); id != std::string::npos) path.replace(id, 4, "1");
    EXPECT_EQ(match_route(name.method, path).target, e) << name.method << ' ' << name.path;
  }
  EXPECT_TRUE(name_of(endpoint::not_found).path.empty());
  EXPECT_TRUE(name_of(endpoint::method_not_allowed).path.empty());
}

}  // namespace
}  // namespace evs::consumer
