// The OpenAPI document the binary serves against the router's table: every route is described,
// every described operation is routed, and scopes and request bodies agree with the rules the
// router applies.
#include "consumer/dashboard_responses.hpp"
#include "consumer/docs_responses.hpp"
#include "consumer/router.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <string>
#include <utility>

namespace evs::consumer {
namespace {

namespace json = boost::json;

const json::object& document() {
  static const json::value doc = json::parse(openapi_document());
  return doc.as_object();
}

std::string lower(std::string_view text) {
  std::string out{text};
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string upper(std::string_view text) {
  std::string out{text};
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// The path with each `{name}` segment replaced by a value a client could send.
std::string concrete(std::string_view pattern) {
  std::string out;
  while (!pattern.empty()) {
    const auto open = pattern.find('{');
    out += pattern.substr(0, open);
    if (open == std::string_view::npos) break;
    out += "1";
    pattern.remove_prefix(pattern.find('}', open) + 1);
  }
  return out;
}

constexpr std::array<std::string_view, 5> http_methods = {"get", "put", "post", "delete", "patch"};

// Every (method, path template) the document describes.
std::set<std::pair<std::string, std::string>> described_operations() {
  std::set<std::pair<std::string, std::string>> ops;
  for (const auto& [path, item] : document().at("paths").as_object())
    for (const auto& [method, operation] : item.as_object())
      if (std::ranges::find(http_methods, std::string_view{method}) != http_methods.end())
        ops.emplace(upper(method), std::string{path});
  return ops;
}

const json::object& operation(const route_spec& row) {
  return document().at("paths").at(row.path).at(lower(row.method)).as_object();
}

TEST(OpenapiDocument, IsOpenapi31) {
  EXPECT_EQ(document().at("openapi").as_string(), "3.1.0");
  EXPECT_TRUE(document().at("components").at("securitySchemes").as_object().contains("bearerAuth"));
}

TEST(OpenapiDocument, DescribesEveryRouteOfTheRouter) {
  const auto described = described_operations();
  for (const auto& row : route_table)
    EXPECT_TRUE(described.contains({std::string{row.method}, std::string{row.path}}))
        << row.method << ' ' << row.path << " is routed but not in openapi.json";
}

TEST(OpenapiDocument, RoutesEveryOperationItDescribes) {
  for (const auto& operation : described_operations()) {
    const auto& method = operation.first;
    const auto& path = operation.second;
    const auto r = match_route(method, concrete(path));
    EXPECT_NE(r.target, endpoint::not_found) << method << ' ' << path;
    EXPECT_NE(r.target, endpoint::method_not_allowed) << method << ' ' << path;
    const auto row = std::ranges::find_if(
        route_table, [&](const route_spec& s) { return s.method == method && s.path == path; });
    EXPECT_NE(row, route_table.end()) << method << ' ' << path << " is not a row of route_table";
  }
}

// The scope in each operation's security requirement is the one the router asks for.
TEST(OpenapiDocument, SecurityMatchesTheAccessRules) {
  for (const auto& row : route_table) {
    const auto rule = access_for(row.target);
    const auto& security = operation(row).at("security").as_array();
    if (!rule.token_required) {
      EXPECT_TRUE(security.empty()) << row.method << ' ' << row.path << " needs no token";
      continue;
    }
    ASSERT_EQ(security.size(), 1U) << row.method << ' ' << row.path;
    const auto& scopes = security.at(0).at("bearerAuth").as_array();
    json::array expected;
    if (rule.scope) expected.emplace_back(auth::scope_name(*rule.scope));
    EXPECT_EQ(scopes, expected) << row.method << ' ' << row.path;
    EXPECT_EQ(operation(row).at("x-scopes").as_array(), expected) << row.method << ' ' << row.path;
    EXPECT_TRUE(operation(row).at("responses").as_object().contains("401"))
        << row.method << ' ' << row.path;
  }
}

TEST(OpenapiDocument, RequestBodiesWhereTheRouterTakesThem) {
  for (const auto& row : route_table) {
    const auto& op = operation(row);
    EXPECT_EQ(op.contains("requestBody"), has_body(row.target)) << row.method << ' ' << row.path;
    // Every operation documents its 413: a body too large, or a body where none belongs.
    EXPECT_TRUE(op.at("responses").as_object().contains("413")) << row.method << ' ' << row.path;
  }
}

TEST(OpenapiDocument, NamesTheHeadersOfTheContract) {
  const auto& headers = document().at("components").at("headers").as_object();
  for (const char* name : {"RetryAfter", "XRequestId", "Location", "WWWAuthenticate", "Allow"})
    EXPECT_TRUE(headers.contains(name)) << name;
  const auto& responses = document().at("components").at("responses").as_object();
  EXPECT_TRUE(responses.at("Unavailable").at("headers").as_object().contains("Retry-After"));
  EXPECT_TRUE(responses.at("Unauthorized").at("headers").as_object().contains("WWW-Authenticate"));
  EXPECT_TRUE(responses.at("InternalError").at("headers").as_object().contains("X-Request-Id"));
}

TEST(OpenapiDocument, ServedAsJsonWithoutCaching) {
  const auto res = openapi_response();
  EXPECT_EQ(res.status, 200U);
  EXPECT_EQ(res.content_type, "application/json");
  EXPECT_EQ(res.body, openapi_document());
}

TEST(DocsPage, FilesHaveTheirTypesAndAreCachedLong) {
  const struct {
    const char* file;
    const char* type;
  } cases[] = {{"swagger-ui.css", "text/css; charset=utf-8"},
               {"swagger-ui-bundle.js", "text/javascript; charset=utf-8"},
               {"docs.js", "text/javascript; charset=utf-8"}};
  for (const auto& c : cases) {
    const auto res = docs_file_response(c.file);
    EXPECT_EQ(res.status, 200U) << c.file;
    EXPECT_EQ(res.content_type, c.type) << c.file;
    EXPECT_GT(res.body.size(), 100U) << c.file;
    const auto cache =
        std::ranges::find_if(res.headers, [](const auto& h) { return h.first == "Cache-Control"; });
    ASSERT_NE(cache, res.headers.end()) << c.file;
    EXPECT_NE(cache->second.find("max-age=31536000"), std::string::npos) << c.file;
  }
  EXPECT_EQ(docs_file_response("index.html").status, 404U);
  EXPECT_EQ(docs_file_response("../openapi.json").status, 404U);
}

TEST(DocsPage, LoadsItsFilesFromThisOriginOnly) {
  const auto page = docs_page_response();
  EXPECT_EQ(page.status, 200U);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("/docs/swagger-ui-bundle.js?v="), std::string::npos);
  EXPECT_EQ(page.body.find("http"), std::string::npos) << "the page must name no other host";
  EXPECT_EQ(page.body.find("@EVS_DOCS_VERSION@"), std::string::npos);
  const auto csp = std::ranges::find_if(
      page.headers, [](const auto& h) { return h.first == "Content-Security-Policy"; });
  ASSERT_NE(csp, page.headers.end());
  EXPECT_NE(csp->second.find("script-src 'self'"), std::string::npos);
}

TEST(DashboardPage, FilesHaveTheirTypesAndAreCachedLong) {
  const struct {
    const char* file;
    const char* type;
  } cases[] = {{"app.js", "text/javascript; charset=utf-8"},
               {"app.css", "text/css; charset=utf-8"},
               {"uplot.min.js", "text/javascript; charset=utf-8"},
               {"uplot.min.css", "text/css; charset=utf-8"}};
  for (const auto& c : cases) {
    const auto res = dashboard_file_response(c.file);
    EXPECT_EQ(res.status, 200U) << c.file;
    EXPECT_EQ(res.content_type, c.type) << c.file;
    EXPECT_GT(res.body.size(), 100U) << c.file;
  }
  EXPECT_NE(dashboard_file_response("uplot.min.js").body.find("uPlot"), std::string::npos);
  EXPECT_EQ(dashboard_file_response("index.html").status, 404U);
  EXPECT_EQ(dashboard_file_response("docs.js").status, 404U);
}

TEST(DashboardPage, LoadsItsFilesFromThisOriginOnly) {
  const auto page = dashboard_page_response();
  EXPECT_EQ(page.status, 200U);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("/dashboard/uplot.min.js?v="), std::string::npos);
  EXPECT_NE(page.body.find("/dashboard/app.js?v="), std::string::npos);
  EXPECT_EQ(page.body.find("http"), std::string::npos) << "the page must name no other host";
  EXPECT_EQ(page.body.find("@EVS_DASHBOARD_VERSION@"), std::string::npos);
  const auto csp = std::ranges::find_if(
      page.headers, [](const auto& h) { return h.first == "Content-Security-Policy"; });
  ASSERT_NE(csp, page.headers.end());
  EXPECT_NE(csp->second.find("script-src 'self'"), std::string::npos);
  EXPECT_NE(csp->second.find("connect-src 'self'"), std::string::npos);
  EXPECT_EQ(csp->second.find("unsafe"), std::string::npos);
}

}  // namespace
}  // namespace evs::consumer
