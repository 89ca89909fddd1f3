// Every operation of the OpenAPI document the real consumer serves, sent to that consumer with
// the document's own example: each is routed, answers with a documented success status, and
// carries the documented content type and headers. With the router test (openapi_document_test)
// this keeps the document and the server one description.
#include "support/backends.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"
#include "support/tokens.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace evs::test {
namespace {

namespace json = boost::json;

struct described_request {
  std::string method;
  std::string path;  // concrete
  std::string body;
  const json::object* operation = nullptr;
};

std::string upper(std::string_view text) {
  std::string out{text};
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// The request body a reader of the document would send: its example, or its first example.
std::string example_body(const json::object& operation) {
  const auto* body = operation.if_contains("requestBody");
  if (!body) return {};
  const auto& media = body->at("content").at("application/json").as_object();
  if (const auto* example = media.if_contains("example")) return json::serialize(*example);
  return json::serialize(media.at("examples").as_object().begin()->value().at("value"));
}

// The values a path parameter can take: its enum (a file of /docs), or else (the $ref'd event
// id) the id of a stored event.
std::vector<std::string> parameter_values(const json::object& operation, const std::string& id) {
  const auto* parameters = operation.if_contains("parameters");
  for (const auto& p : parameters ? parameters->as_array() : json::array{}) {
    const auto* schema = p.as_object().if_contains("schema");
    const auto* values = schema ? schema->as_object().if_contains("enum") : nullptr;
    if (!values) continue;
    std::vector<std::string> out;
    for (const auto& v : values->as_array()) out.emplace_back(v.as_string());
    return out;
  }
  return {id};
}

std::vector<described_request> described_requests(const json::object& doc, const std::string& id) {
  std::vector<described_request> out;
  for (const auto& [path, item] : doc.at("paths").as_object())
    for (const auto& [method, op] : item.as_object()) {
      const auto& operation = op.as_object();
      const std::string pattern{path};
      const auto open = pattern.find('{');
      std::vector<std::string> paths{pattern};
      if (open != std::string::npos) {
        paths.clear();
        for (const auto& value : parameter_values(operation, id))
          paths.push_back(pattern.substr(0, open) + value +
                          pattern.substr(pattern.find('}', open) + 1));
      }
      for (auto& p : paths)
        out.push_back({upper(method), std::move(p), example_body(operation), &operation});
    }
  // The event the {id} operations work on is deleted last.
  std::ranges::stable_partition(out, [](const auto& r) { return r.method != "DELETE"; });
  return out;
}

class Openapi : public ::testing::Test {
 protected:
  test_database db_{all_backends().front()};
  test_server server_{[this] {
    test_server_options options;
    options.storage = db_.config();
    return options;
  }()};
};

TEST_F(Openapi, EveryDescribedOperationIsServedWithADocumentedAnswer) {
  const auto token = make_token();  // no scope claim: every scope
  const auto doc_reply = http_once(server_.port(), "GET", "/openapi.json");
  ASSERT_EQ(doc_reply.status, 200U);
  const auto doc = doc_reply.json();

  const auto created = http_once(server_.port(), "POST", "/api/events",
                                 R"({"event_type":"openapi.test","event_payload":"x"})",
                                 {{"Authorization", bearer(token)}});
  ASSERT_EQ(created.status, 201U) << created.body;
  const auto id = std::to_string(created.json().at("id").as_int64());

  const auto requests = described_requests(doc.as_object(), id);
  ASSERT_GE(requests.size(), 16U);
  for (const auto& r : requests) {
    const auto what = r.method + ' ' + r.path;
    const auto reply =
        http_once(server_.port(), r.method, r.path, r.body, {{"Authorization", bearer(token)}});
    ASSERT_GE(reply.status, 200U) << what << ": " << reply.body;
    ASSERT_LT(reply.status, 300U) << what << ": " << reply.body;
    const auto& documented = r.operation->at("responses").as_object();
    const auto* answer = documented.if_contains(std::to_string(reply.status));
    ASSERT_NE(answer, nullptr) << what << " answered " << reply.status << ", not documented";
    if (const auto* content = answer->as_object().if_contains("content")) {
      const auto type = reply.header("Content-Type").value_or("");
      const auto media = type.substr(0, type.find(';'));
      EXPECT_TRUE(content->as_object().contains(media)) << what << " answered " << type;
    }
    if (const auto* headers = answer->as_object().if_contains("headers")) {
      for (const auto& h : headers->as_object())
        EXPECT_TRUE(reply.header(h.key())) << what << " lacks " << h.key();
    }
  }
}

TEST_F(Openapi, DocumentAndPageNeedNoTokenAndTakeNoBody) {
  const auto doc = http_once(server_.port(), "GET", "/openapi.json");
  EXPECT_EQ(doc.status, 200U);
  EXPECT_EQ(doc.header("Content-Type"), "application/json");
  EXPECT_EQ(doc.json().at("openapi").as_string(), "3.1.0");

  const auto page = http_once(server_.port(), "GET", "/docs");
  EXPECT_EQ(page.status, 200U);
  EXPECT_EQ(page.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_TRUE(page.header("Content-Security-Policy"));

  const auto script = http_once(server_.port(), "GET", "/docs/swagger-ui-bundle.js?v=1");
  EXPECT_EQ(script.status, 200U);
  EXPECT_EQ(script.header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(script.header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_GT(script.body.size(), 100'000U);

  EXPECT_EQ(http_once(server_.port(), "GET", "/docs/index.html").status, 404U);
  const auto with_body = http_once(server_.port(), "GET", "/openapi.json", R"({"a":1})");
  EXPECT_EQ(with_body.status, 413U) << with_body.body;
  const auto post = http_once(server_.port(), "POST", "/docs", R"({"a":1})");
  EXPECT_EQ(post.status, 405U);
  EXPECT_EQ(post.header("Allow"), "GET");
}

}  // namespace
}  // namespace evs::test
