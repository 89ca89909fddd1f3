// The real consumer in-process on a free port, spoken to over loopback HTTP, on every storage
// backend: every status of DESIGN.md's error table, scopes, idempotency, CRUD, pagination,
// payload round trip, and connection handling.
#include "support/backends.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"
#include "support/tokens.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

#include <algorithm>
#include <atomic>
#include <future>
#include <regex>
#include <set>
#include <thread>

namespace evs::test {
namespace {

namespace json = boost::json;

json::value parse(std::string_view text) { return json::parse(text); }

std::string event_body(std::string_view event_id, std::string_view type = "test.event",
                       std::string_view payload_json = R"({"n":1})") {
  std::string body = R"({"event_type":)" + json::serialize(json::string{type}) +
                     R"(,"event_payload":)" + std::string{payload_json};
  if (!event_id.empty()) body += R"(,"event_id":)" + json::serialize(json::string{event_id});
  return body + "}";
}

std::string batch_body(const std::vector<std::string>& events) {
  std::string body = "[";
  for (std::size_t i = 0; i < events.size(); ++i) body += (i == 0 ? "" : ",") + events[i];
  return body + "]";
}

std::string ingest_reply(std::size_t accepted, std::size_t duplicates) {
  return R"({"status_code":"200","accepted":)" + std::to_string(accepted) + R"(,"duplicates":)" +
         std::to_string(duplicates) + "}";
}

header_list auth_header(std::string_view token) { return {{"Authorization", bearer(token)}}; }

// ---------------------------------------------------------------------------------------
class ConsumerApi : public ::testing::TestWithParam<backend> {
 protected:
  void SetUp() override {
    try {
      db_ = std::make_unique<test_database>(GetParam());
    } catch (const std::exception& e) {
      FAIL() << "backend " << GetParam().name << " is not available: " << e.what();
    }
    start();
  }

  void start(test_server_options options = {}) {
    server_.reset();
    options.storage = db_->config();
    try {
      server_ = std::make_unique<test_server>(options);
    } catch (const std::exception& e) {
      FAIL() << "cannot start the consumer on " << GetParam().name << ": " << e.what();
    }
  }

  void TearDown() override {
    server_.reset();
    db_.reset();
  }

  void start_with_timeouts(std::chrono::milliseconds read, std::chrono::milliseconds idle) {
    test_server_options options;
    options.server.read_timeout = read;
    options.server.idle_timeout = idle;
    start(options);
  }

  std::uint16_t port() const { return server_->port(); }

  http_reply call(std::string_view method, std::string_view target, std::string body = {},
                  std::string_view token = {}, header_list headers = {}) {
    if (!token.empty()) headers.emplace_back("Authorization", bearer(token));
    return http_once(port(), method, target, std::move(body), headers);
  }

  http_reply ingest(std::string body, std::string_view target = "/api/event") {
    return call("POST", target, std::move(body), write_);
  }

  // Creates one event through POST /api/events and returns the stored event.
  json::object create(std::string body) {
    const auto r = call("POST", "/api/events", std::move(body), write_);
    EXPECT_EQ(r.status, 201U) << r.body;
    return r.json().as_object();
  }

  // Every stored event, walking the cursor.
  std::vector<json::object> list_everything(const std::string& filters = "") {
    std::vector<json::object> items;
    std::string cursor;
    for (int page = 0; page < 1000; ++page) {
      std::string target = "/api/events?limit=1000" + filters;
      if (!cursor.empty()) target += "&cursor=" + cursor;
      const auto r = call("GET", target, {}, read_);
      EXPECT_EQ(r.status, 200U) << r.body;
      if (r.status != 200) break;
      const auto body = r.json().as_object();
      for (const auto& item : body.at("items").as_array()) items.push_back(item.as_object());
      if (body.at("next_cursor").is_null()) break;
      cursor = std::string{body.at("next_cursor").as_string()};
    }
    return items;
  }

  std::unique_ptr<test_database> db_;
  std::unique_ptr<test_server> server_;
  const std::string read_ = make_token("events:read");
  const std::string write_ = make_token("events:write");
  const std::string admin_ = make_token("events:admin");
  const std::string every_scope_ = make_token(std::nullopt);
};

// --- liveness and readiness ------------------------------------------------------------

TEST_P(ConsumerApi, HealthzNeedsNoToken) {
  const auto r = call("GET", "/healthz");
  EXPECT_EQ(r.status, 200U);
  EXPECT_EQ(r.json(), parse(R"({"status":"ok"})"));
  EXPECT_EQ(r.header("Content-Type"), "application/json");
}

TEST_P(ConsumerApi, ReadyOnBothPathsWithAnyValidToken) {
  for (const auto* path : {"/api/ready", "/ready"}) {
    for (const auto& token : {read_, write_, make_token("something:else")}) {
      const auto r = call("GET", path, {}, token);
      EXPECT_EQ(r.status, 200U) << path << " " << r.body;
      EXPECT_EQ(r.json(), parse(R"({"status":"ready"})"));
    }
    const auto anonymous = call("GET", path);
    EXPECT_EQ(anonymous.status, 401U) << path;
  }
}

// --- 401 --------------------------------------------------------------------------------

TEST_P(ConsumerApi, MissingTokenIs401NotAuthenticated) {
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"POST", "/api/event"},     {"POST", "/event"},          {"POST", "/api/events"},
      {"GET", "/api/events"},     {"GET", "/api/events/1"},    {"PUT", "/api/events/1"},
      {"PATCH", "/api/events/1"}, {"DELETE", "/api/events/1"}, {"GET", "/api/ready"}};
  for (const auto& [method, target] : routes) {
    const bool with_body = method == "POST" || method == "PUT" || method == "PATCH";
    const auto r = call(method, target, with_body ? event_body("x") : "");
    EXPECT_EQ(r.status, 401U) << method << " " << target;
    EXPECT_EQ(r.detail(), "Not authenticated") << method << " " << target;
    EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer") << method << " " << target;
  }
}

TEST_P(ConsumerApi, RejectedTokensAre401WithBearerChallenge) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"malformed", "Bearer not-a-jwt"},
      {"empty bearer", "Bearer "},
      {"other scheme", "Basic " + make_token()},
      {"wrong secret", bearer(make_token(std::nullopt, "another-secret"))},
      {"HS512 while HS256 is configured",
       bearer(make_token(std::nullopt, test_secret, auth::jwt_algorithm::hs512))},
      {"HS384 while HS256 is configured",
       bearer(make_token(std::nullopt, test_secret, auth::jwt_algorithm::hs384))},
      {"alg none", bearer(unsigned_token())},
      {"expired", bearer(expired_token())},
      {"not yet valid", bearer(not_yet_valid_token())},
      {"tampered payload",
       [] {
         auto t = make_token("events:read");
         const auto first = t.find('.');
         const auto second = t.find('.', first + 1);
         // Same header and signature, another claim set.
         return bearer(t.substr(0, first + 1) + "eyJzdWIiOiJ4Iiwic2NvcGUiOiJldmVudHM6YWRtaW4ifQ" +
                       t.substr(second));
       }()},
  };
  for (const auto& [what, header] : cases) {
    const auto r =
        http_once(port(), "POST", "/api/event", event_body("x"), {{"Authorization", header}});
    EXPECT_EQ(r.status, 401U) << what;
    EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer") << what;
    EXPECT_FALSE(r.detail().empty()) << what;
  }
  EXPECT_TRUE(list_everything().empty());
}

TEST_P(ConsumerApi, TokenIsCheckedBeforeTheBodyIsRead) {
  // A huge body announced but never sent: the answer comes from the headers alone.
  for (const auto& auth :
       std::vector<std::string>{"", "Authorization: Bearer " + expired_token() + "\r\n"}) {
    http_client client{port()};
    client.write_raw("POST /api/event HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth +
                     "Content-Type: application/json\r\nContent-Length: 500000000\r\n\r\n{");
    const auto r = client.read_reply();
    EXPECT_EQ(r.status, 401U);
    EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer");
    EXPECT_TRUE(client.wait_closed_by_peer());
  }
  // A malformed body without a token is a 401, not a 422.
  const auto r = call("POST", "/api/event", "{this is not json");
  EXPECT_EQ(r.status, 401U);
  EXPECT_EQ(r.detail(), "Not authenticated");
}

// --- 403 and scopes ---------------------------------------------------------------------

TEST_P(ConsumerApi, EachRouteNeedsItsScope) {
  struct route_case {
    std::string method, target, body, scope;
  };
  const auto existing = create(event_body("scoped"));
  const auto path = "/api/events/" + std::to_string(existing.at("id").as_int64());
  const std::vector<route_case> cases = {
      {"POST", "/api/event", event_body("s1"), "events:write"},
      {"POST", "/event", event_body("s2"), "events:write"},
      {"POST", "/api/events", event_body("s3"), "events:write"},
      {"GET", "/api/events", "", "events:read"},
      {"GET", path, "", "events:read"},
      {"PATCH", path, R"({"event_type":"patched"})", "events:admin"},
      {"PUT", path, R"({"event_type":"put","event_payload":"p"})", "events:admin"},
  };
  const std::vector<std::string> all = {"events:read", "events:write", "events:admin"};
  for (const auto& c : cases) {
    for (const auto& other : all) {
      if (other == c.scope || other == "events:admin") continue;
      const auto r = call(c.method, c.target, c.body, make_token(other));
      EXPECT_EQ(r.status, 403U) << c.method << " " << c.target << " with " << other;
      EXPECT_NE(r.detail().find(c.scope), std::string::npos) << r.body;
    }
    const auto nothing = call(c.method, c.target, c.body, make_token(""));
    EXPECT_EQ(nothing.status, 403U) << c.method << " " << c.target << " with no scope";
    for (const auto& token :
         {make_token(c.scope), admin_, every_scope_, make_token("x " + c.scope)}) {
      const auto r = call(c.method, c.target, c.body, token);
      EXPECT_GE(r.status, 200U) << c.method << " " << c.target;
      EXPECT_LT(r.status, 300U) << c.method << " " << c.target << " " << r.body;
    }
  }
  // DELETE last, since it removes the event.
  EXPECT_EQ(call("DELETE", path, {}, write_).status, 403U);
  EXPECT_EQ(call("DELETE", path, {}, read_).status, 403U);
  EXPECT_EQ(call("DELETE", path, {}, admin_).status, 204U);
}

// --- 404 / 405 --------------------------------------------------------------------------

TEST_P(ConsumerApi, UnknownPathIs404) {
  for (const auto* target :
       {"/", "/nope", "/api", "/api/eventz", "/api/events/1/more", "/events"}) {
    const auto r = call("GET", target, {}, every_scope_);
    EXPECT_EQ(r.status, 404U) << target;
    EXPECT_EQ(r.detail(), "Not Found") << target;
  }
  // Also without a token: unknown paths are not a secret.
  EXPECT_EQ(call("POST", "/nope", event_body("x")).status, 404U);
}

TEST_P(ConsumerApi, WrongMethodIs405WithAllow) {
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"GET", "/api/event", "POST"},
      {"DELETE", "/event", "POST"},
      {"POST", "/healthz", "GET"},
      {"POST", "/api/ready", "GET"},
      {"DELETE", "/api/events", "GET, POST"},
      {"POST", "/api/events/1", "GET, PUT, PATCH, DELETE"},
  };
  for (const auto& [method, target, allow] : cases) {
    const auto r = call(method, target, {}, every_scope_);
    EXPECT_EQ(r.status, 405U) << method << " " << target;
    EXPECT_EQ(r.header("Allow"), allow) << method << " " << target;
    EXPECT_FALSE(r.detail().empty());
  }
}

// --- 413 --------------------------------------------------------------------------------

TEST_P(ConsumerApi, BodyOverMaxBodyBytesIs413) {
  constexpr std::size_t max_body = 1024 * 1024;
  {
    // Announced by Content-Length: refused before the body is read.
    http_client client{port()};
    client.write_raw(
        "POST /api/event HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + bearer(write_) +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(max_body + 1) +
        "\r\n\r\n");
    const auto r = client.read_reply();
    EXPECT_EQ(r.status, 413U);
  }
  {
    // Sent in full.
    std::string big =
        R"([{"event_type":"big","event_payload":")" + std::string(max_body, 'x') + R"("}])";
    const auto r = call("POST", "/api/event", std::move(big), write_);
    EXPECT_EQ(r.status, 413U);
  }
  {
    // Chunked, so no Content-Length warns the server: the limit holds while reading.
    http_client client{port()};
    const std::string chunk(64 * 1024, ' ');
    std::string request =
        "POST /api/event HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + bearer(write_) +
        "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
    for (std::size_t sent = 0; sent <= max_body; sent += chunk.size())
      request += std::string{size} + chunk + "\r\n";
    request += "0\r\n\r\n";
    client.write_raw(request);
    EXPECT_EQ(client.read_reply().status, 413U);
  }
  {
    // A client that asks first is told 413 at once, not invited to send the body.
    http_client client{port()};
    client.write_raw(
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
        "Content-Length: " +
        std::to_string(max_body + 1) + "\r\n\r\n");
    EXPECT_EQ(client.read_reply().status, 413U);
  }
  EXPECT_TRUE(list_everything().empty());
}

TEST_P(ConsumerApi, MoreThanMaxBatchEventsIs413AndAtTheLimitIsAccepted) {
  std::vector<std::string> events;
  for (int i = 0; i < 1001; ++i) events.push_back(event_body("b-" + std::to_string(i)));
  const auto too_many = ingest(batch_body(events));
  EXPECT_EQ(too_many.status, 413U);
  EXPECT_FALSE(too_many.detail().empty());
  EXPECT_TRUE(list_everything().empty());

  events.pop_back();
  const auto at_limit = ingest(batch_body(events));
  EXPECT_EQ(at_limit.status, 200U) << at_limit.body;
  EXPECT_EQ(at_limit.json(), parse(ingest_reply(1000, 0)));
}

// --- 415 --------------------------------------------------------------------------------

TEST_P(ConsumerApi, NonJsonContentTypeIs415) {
  for (const auto* type : {"text/plain", "application/x-www-form-urlencoded", "application/xml",
                           "multipart/form-data; boundary=x"}) {
    for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
             {"POST", "/api/event"}, {"POST", "/api/events"}}) {
      const auto r = call(method, target, event_body("ct"), write_, {{"Content-Type", type}});
      EXPECT_EQ(r.status, 415U) << type << " " << target;
    }
  }
  EXPECT_TRUE(list_everything().empty());
  for (const auto* type : {"application/json", "application/json; charset=utf-8",
                           "Application/JSON", "application/vnd.api+json"}) {
    const auto r = call("POST", "/api/event", event_body(std::string{"ct-"} + type), write_,
                        {{"Content-Type", type}});
    EXPECT_EQ(r.status, 200U) << type << " " << r.body;
  }
}

// --- 422 --------------------------------------------------------------------------------

TEST_P(ConsumerApi, MalformedJsonIs422) {
  for (const auto* body : {"{not json", "[{\"event_type\":\"a\",", "\"", "{}}"}) {
    const auto r = ingest(body);
    EXPECT_EQ(r.status, 422U) << body;
    const auto detail = r.json().at("detail").as_array();
    ASSERT_FALSE(detail.empty());
    EXPECT_EQ(detail[0].at("loc"), parse(R"(["body"])"));
    EXPECT_EQ(detail[0].at("type"), "json_invalid");
  }
}

TEST_P(ConsumerApi, EmptyArrayIs422) {
  const auto r = ingest("[]");
  EXPECT_EQ(r.status, 422U);
  EXPECT_EQ(r.json().at("detail").as_array().at(0).at("loc"), parse(R"(["body"])"));
}

TEST_P(ConsumerApi, EveryProblemIsListedAndNothingIsStored) {
  const auto r = ingest(batch_body({
      event_body("fine-0"),
      R"({"event_payload":{"a":1},"event_id":"missing-type"})",
      event_body("fine-2"),
      R"({"event_type":"","event_payload":42,"event_id":5,"occurred_at":"yesterday"})",
      R"("not an object")",
      R"({"event_type":"t"})",
  }));
  ASSERT_EQ(r.status, 422U) << r.body;
  std::set<std::string> locs;
  const auto body = r.json();
  for (const auto& d : body.at("detail").as_array()) {
    EXPECT_TRUE(d.at("msg").is_string());
    EXPECT_FALSE(d.at("msg").as_string().empty());
    EXPECT_TRUE(d.at("type").is_string());
    locs.insert(json::serialize(d.at("loc")));
  }
  const std::set<std::string> expected = {
      R"(["body",1,"event_type"])",    R"(["body",3,"event_type"])",
      R"(["body",3,"event_payload"])", R"(["body",3,"event_id"])",
      R"(["body",3,"occurred_at"])",   R"(["body",4])",
      R"(["body",5,"event_payload"])"};
  EXPECT_EQ(locs, expected);
  // All or nothing: the valid events of the batch were not stored either.
  EXPECT_TRUE(list_everything().empty());
}

TEST_P(ConsumerApi, FieldLimitsAre422) {
  const std::string too_big_payload = "\"" + std::string(64 * 1024, 'p') + "\"";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {event_body("big-payload", "t", too_big_payload), R"(["body","event_payload"])"},
      {event_body("long-type", std::string(256, 't')), R"(["body","event_type"])"},
      {event_body(std::string(129, 'i')), R"(["body","event_id"])"},
      {event_body("bad\x01id"), R"(["body","event_id"])"},
  };
  for (const auto& [body, loc] : cases) {
    const auto r = ingest(body);
    ASSERT_EQ(r.status, 422U) << loc;
    EXPECT_EQ(json::serialize(r.json().at("detail").as_array().at(0).at("loc")), loc);
  }
  // Just inside the limits is fine.
  const std::string max_payload = "\"" + std::string(64 * 1024 - 2, 'p') + "\"";
  EXPECT_EQ(ingest(event_body(std::string(128, 'i'), std::string(255, 't'), max_payload)).status,
            200U);
  EXPECT_EQ(list_everything().size(), 1U);
}

TEST_P(ConsumerApi, UnknownFieldsAreIgnored) {
  const auto r = ingest(R"({"event_type":"t","event_payload":"p","event_id":"extra","colour":"red",
                            "nested":{"x":[1]}})");
  EXPECT_EQ(r.status, 200U) << r.body;
  EXPECT_EQ(r.json(), parse(ingest_reply(1, 0)));
}

// --- ingest and idempotency -------------------------------------------------------------

TEST_P(ConsumerApi, IngestTakesOneObjectOrAnArrayOnBothPaths) {
  EXPECT_EQ(ingest(event_body("one")).json(), parse(ingest_reply(1, 0)));
  EXPECT_EQ(ingest(batch_body({event_body("two"), event_body("three")})).json(),
            parse(ingest_reply(2, 0)));
  const auto alias = ingest(event_body("four"), "/event");
  EXPECT_EQ(alias.status, 200U);
  EXPECT_EQ(alias.json(), parse(ingest_reply(1, 0)));
  EXPECT_EQ(list_everything().size(), 4U);
}

TEST_P(ConsumerApi, SameEventIdTwiceIsADuplicate) {
  EXPECT_EQ(ingest(event_body("once", "first")).json(), parse(ingest_reply(1, 0)));
  EXPECT_EQ(ingest(event_body("once", "second")).json(), parse(ingest_reply(0, 1)));
  EXPECT_EQ(ingest(event_body("once"), "/event").json(), parse(ingest_reply(0, 1)));
  const auto items = list_everything("&event_id=once");
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].at("event_type"), "first");
}

TEST_P(ConsumerApi, DuplicatesInsideOneBatch) {
  ingest(event_body("old"));
  const auto r = ingest(batch_body(
      {event_body("a"), event_body("a"), event_body("b"), event_body("old"), event_body("b")}));
  EXPECT_EQ(r.json(), parse(ingest_reply(2, 3)));
  std::multiset<std::string> ids;
  for (const auto& e : list_everything()) ids.insert(std::string{e.at("event_id").as_string()});
  EXPECT_EQ(ids, (std::multiset<std::string>{"old", "a", "b"}));
}

TEST_P(ConsumerApi, ServerAssignsUuidV7WhenEventIdIsAbsent) {
  const std::regex uuid_v7{"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"};
  EXPECT_EQ(ingest(batch_body({event_body(""), event_body("")})).json(), parse(ingest_reply(2, 0)));
  const auto created = create(event_body(""));
  const auto items = list_everything();
  ASSERT_EQ(items.size(), 3U);
  std::set<std::string> ids;
  for (const auto& e : items) {
    const std::string id{e.at("event_id").as_string()};
    EXPECT_TRUE(std::regex_match(id, uuid_v7)) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 3U);
  EXPECT_TRUE(ids.contains(std::string{created.at("event_id").as_string()}));
}

// Half an hour ahead of the system clock (the test tokens are valid for an hour), so the ids
// show which clock they came from.
class clock_ahead final : public runtime::clock {
 public:
  clock_ahead()
      : wall_{std::chrono::time_point_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now() + std::chrono::minutes{30})} {}
  wall_time wall_now() const override { return wall_; }
  steady_time steady_now() const override { return std::chrono::steady_clock::now(); }

 private:
  wall_time wall_;
};

TEST_P(ConsumerApi, ServerAssignedIdsTakeTheirTimeFromTheInjectedClock) {
  const clock_ahead clock;
  test_server_options options;
  options.clock = &clock;
  start(options);
  EXPECT_EQ(ingest(event_body("")).json(), parse(ingest_reply(1, 0)));
  const auto items = list_everything();
  ASSERT_EQ(items.size(), 1U);
  const std::string id{items[0].at("event_id").as_string()};
  const auto id_ms = std::stoll(id.substr(0, 8) + id.substr(9, 4), nullptr, 16);
  EXPECT_EQ(id_ms, clock.wall_now_ms()) << id;
  server_.reset();  // before the clock goes away
}

// --- CRUD -------------------------------------------------------------------------------

TEST_P(ConsumerApi, CreateReadUpdateDelete) {
  const auto created_reply = call("POST", "/api/events",
                                  R"({"event_type":"order.created","event_payload":{"order":1},
                                      "event_id":"crud-1","occurred_at":"2024-05-01T12:30:00Z"})",
                                  write_);
  ASSERT_EQ(created_reply.status, 201U) << created_reply.body;
  const auto created = created_reply.json().as_object();
  const auto id = created.at("id").as_int64();
  const auto location = "/api/events/" + std::to_string(id);
  EXPECT_EQ(created_reply.header("Location"), location);
  EXPECT_EQ(created.at("event_id"), "crud-1");
  EXPECT_EQ(created.at("event_type"), "order.created");
  EXPECT_EQ(created.at("event_payload"), parse(R"({"order":1})"));
  EXPECT_EQ(created.at("occurred_at"), "2024-05-01T12:30:00Z");
  EXPECT_TRUE(created.at("received_at").is_string());

  const auto got = call("GET", location, {}, read_);
  ASSERT_EQ(got.status, 200U);
  EXPECT_EQ(got.json(), json::value(created));

  // PUT replaces type and payload; id and event_id in the body are ignored.
  const auto put = call("PUT", location,
                        R"({"event_type":"order.changed","event_payload":"now a string",
                            "event_id":"hijack","id":999999})",
                        admin_);
  ASSERT_EQ(put.status, 200U) << put.body;
  EXPECT_EQ(put.json().at("id"), id);
  EXPECT_EQ(put.json().at("event_id"), "crud-1");
  EXPECT_EQ(put.json().at("event_type"), "order.changed");
  EXPECT_EQ(put.json().at("event_payload"), "now a string");
  EXPECT_EQ(put.json().at("received_at"), created.at("received_at"));

  // PATCH changes only what it names.
  const auto patch = call("PATCH", location, R"({"event_payload":[1,2,3],"event_id":"x"})", admin_);
  ASSERT_EQ(patch.status, 200U) << patch.body;
  EXPECT_EQ(patch.json().at("event_type"), "order.changed");
  EXPECT_EQ(patch.json().at("event_payload"), parse("[1,2,3]"));
  EXPECT_EQ(patch.json().at("event_id"), "crud-1");
  // PUT replaced the whole event, so the occurred_at it did not send is gone.
  EXPECT_TRUE(patch.json().at("occurred_at").is_null());
  EXPECT_EQ(call("GET", location, {}, read_).json(), patch.json());
  const auto dated = call("PATCH", location, R"({"occurred_at":"2024-05-02T00:00:00Z"})", admin_);
  EXPECT_EQ(dated.json().at("occurred_at"), "2024-05-02T00:00:00Z");
  EXPECT_EQ(dated.json().at("event_type"), "order.changed");
  const auto cleared = call("PATCH", location, R"({"occurred_at":null})", admin_);
  ASSERT_EQ(cleared.status, 200U) << cleared.body;
  EXPECT_TRUE(cleared.json().at("occurred_at").is_null());
  EXPECT_EQ(cleared.json().at("event_payload"), parse("[1,2,3]"));
  EXPECT_EQ(call("GET", "/api/events/" + std::to_string(id), {}, read_).json().at("id"), id);

  const auto removed = call("DELETE", location, {}, admin_);
  EXPECT_EQ(removed.status, 204U);
  EXPECT_TRUE(removed.body.empty());
  EXPECT_EQ(call("GET", location, {}, read_).status, 404U);
  EXPECT_EQ(call("DELETE", location, {}, admin_).status, 404U);
  EXPECT_EQ(call("PUT", location, R"({"event_type":"t","event_payload":"p"})", admin_).status,
            404U);
  EXPECT_EQ(call("PATCH", location, R"({"event_type":"t"})", admin_).status, 404U);
  EXPECT_EQ(call("GET", location, {}, read_).detail(), "Event not found");
  // Its event_id is free again only in the sense that it is gone from listings.
  EXPECT_TRUE(list_everything("&event_id=crud-1").empty());
}

TEST_P(ConsumerApi, CreateWithAStoredEventIdReturnsTheStoredEvent) {
  const auto first = create(event_body("same", "first"));
  const auto again = call("POST", "/api/events", event_body("same", "second"), write_);
  EXPECT_EQ(again.status, 200U) << again.body;
  EXPECT_EQ(again.json(), json::value(first));
  EXPECT_EQ(list_everything().size(), 1U);
}

TEST_P(ConsumerApi, UpdateValidatesItsBody) {
  const auto e = create(event_body("v"));
  const auto path = "/api/events/" + std::to_string(e.at("id").as_int64());
  const auto put = call("PUT", path, R"({"event_type":"only type"})", admin_);
  EXPECT_EQ(put.status, 422U);
  EXPECT_EQ(json::serialize(put.json().at("detail").as_array().at(0).at("loc")),
            R"(["body","event_payload"])");
  EXPECT_EQ(call("PATCH", path, R"({"event_type":""})", admin_).status, 422U);
  EXPECT_EQ(call("PATCH", path, "not json", admin_).status, 422U);
  for (const auto* bad : {"/api/events/abc", "/api/events/0", "/api/events/-1"})
    EXPECT_EQ(call("GET", bad, {}, read_).status, 422U) << bad;
  EXPECT_EQ(call("GET", path, {}, read_).json(), json::value(e));
}

// --- listing ----------------------------------------------------------------------------

// A page of a thousand large events is megabytes: more than a socket takes at once.
TEST_P(ConsumerApi, ALargePageArrivesWhole) {
  const std::string payload = R"({"text":")" + std::string(8000, 'x') + R"("})";
  for (int request = 0; request < 10; ++request) {
    std::vector<std::string> events;
    for (int i = 0; i < 100; ++i)
      events.push_back(event_body("big-" + std::to_string(request * 100 + i), "big", payload));
    ASSERT_EQ(ingest(batch_body(events)).status, 200U);
  }
  const auto r = call("GET", "/api/events?limit=1000", {}, read_);
  ASSERT_EQ(r.status, 200U);
  EXPECT_GT(r.body.size(), 8'000'000U);
  const auto page = r.json();
  const auto& items = page.at("items").as_array();
  ASSERT_EQ(items.size(), 1000U);
  EXPECT_EQ(items.back().at("event_id").as_string(), "big-999");
  EXPECT_EQ(items.back().at("event_payload").at("text").as_string().size(), 8000U);
}

TEST_P(ConsumerApi, ListFilters) {
  const auto e1 = create(event_body("l1", "click"));
  const auto e2 = create(event_body("l2", "view"));
  const auto e3 = create(event_body("l3", "click"));
  const std::string t2{e2.at("received_at").as_string()};
  const std::string t3{e3.at("received_at").as_string()};
  ASSERT_LT(std::string{e1.at("received_at").as_string()}, t2);
  ASSERT_LT(t2, t3);

  auto ids = [this](const std::string& filters) {
    std::vector<std::string> out;
    for (const auto& e : list_everything(filters)) out.emplace_back(e.at("event_id").as_string());
    return out;
  };
  EXPECT_EQ(ids(""), (std::vector<std::string>{"l1", "l2", "l3"}));
  EXPECT_EQ(ids("&event_type=click"), (std::vector<std::string>{"l1", "l3"}));
  EXPECT_EQ(ids("&event_id=l2"), std::vector<std::string>{"l2"});
  EXPECT_EQ(ids("&since=" + t2), (std::vector<std::string>{"l2", "l3"}));
  EXPECT_EQ(ids("&until=" + t3), (std::vector<std::string>{"l1", "l2"}));
  EXPECT_EQ(ids("&since=" + t2 + "&until=" + t3), std::vector<std::string>{"l2"});
  EXPECT_EQ(ids("&event_type=click&since=" + t2), std::vector<std::string>{"l3"});
  EXPECT_TRUE(ids("&event_type=none").empty());
  EXPECT_TRUE(ids("&since=2999-01-01T00:00:00Z").empty());

  const auto page = call("GET", "/api/events", {}, read_);
  ASSERT_EQ(page.status, 200U);
  EXPECT_TRUE(page.json().at("next_cursor").is_null());
  EXPECT_EQ(page.json().at("items").as_array().size(), 3U);

  for (const auto* bad : {"?since=yesterday", "?until=2024-13-01T00:00:00Z", "?limit=0",
                          "?limit=1001", "?limit=ten", "?cursor=not-a-cursor", "?event_type=%zz"}) {
    const auto r = call("GET", std::string{"/api/events"} + bad, {}, read_);
    EXPECT_EQ(r.status, 422U) << bad << " " << r.body;
  }
}

TEST_P(ConsumerApi, WalkingNextCursorVisitsEveryEventOnce) {
  std::vector<std::string> events;
  for (int i = 0; i < 25; ++i)
    events.push_back(event_body("w-" + std::to_string(i), i % 3 == 0 ? "third" : "other"));
  ASSERT_EQ(ingest(batch_body(events)).status, 200U);

  for (const std::string filter : {"", "&event_type=third"}) {
    std::vector<std::int64_t> ids;
    std::string cursor;
    int pages = 0;
    for (;;) {
      std::string target = "/api/events?limit=7" + filter;
      if (!cursor.empty()) target += "&cursor=" + cursor;
      const auto r = call("GET", target, {}, read_);
      ASSERT_EQ(r.status, 200U) << r.body;
      ++pages;
      const auto body = r.json().as_object();
      for (const auto& item : body.at("items").as_array()) ids.push_back(item.at("id").as_int64());
      if (body.at("next_cursor").is_null()) break;
      cursor = std::string{body.at("next_cursor").as_string()};
      ASSERT_LT(pages, 50) << "the cursor never ends";
    }
    const std::size_t expected = filter.empty() ? 25U : 9U;
    EXPECT_EQ(ids.size(), expected) << filter;
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
    EXPECT_EQ(std::set<std::int64_t>(ids.begin(), ids.end()).size(), expected);
    EXPECT_EQ(pages, filter.empty() ? 4 : 2);
  }
}

// --- payloads ---------------------------------------------------------------------------

TEST_P(ConsumerApi, PayloadComesBackAsSent) {
  const std::vector<std::string> payloads = {
      R"("a plain string")",
      R"("{\"looks\":\"like json\"} but is a string")",
      R"("escapes: \" \\ \/ \b \f \n \r \t \u0001 and \u00e9 \ud83d\ude00")",
      "\"raw UTF-8: \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe4\xb8\xad\xe6\x96\x87\"",
      R"({"nested":{"list":[1,2.5,-3,true,false,null,"x"]},"empty":{},"arr":[],"s":""})",
      R"([1,"two",{"three":3}])",
      R"("")",
  };
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    const auto sent = parse(payloads[i]);
    const auto event_id = "payload-" + std::to_string(i);
    const auto created = create(event_body(event_id, "p", payloads[i]));
    EXPECT_EQ(created.at("event_payload"), sent) << payloads[i];
    const auto got =
        call("GET", "/api/events/" + std::to_string(created.at("id").as_int64()), {}, read_);
    EXPECT_EQ(got.json().at("event_payload"), sent) << payloads[i];
    EXPECT_EQ(got.json().at("event_payload").is_string(), sent.is_string());

    ASSERT_EQ(ingest(event_body("ingested-" + event_id, "p", payloads[i])).status, 200U);
    const auto listed = list_everything("&event_id=ingested-" + event_id);
    ASSERT_EQ(listed.size(), 1U);
    EXPECT_EQ(listed[0].at("event_payload"), sent) << payloads[i];
  }
}

// --- connections ------------------------------------------------------------------------

TEST_P(ConsumerApi, KeepAliveCarriesSeveralRequests) {
  http_client client{port()};
  for (int i = 0; i < 5; ++i) {
    const auto health = client.get("/healthz");
    EXPECT_EQ(health.status, 200U);
    EXPECT_TRUE(health.keep_alive);
    const auto posted = client.post("/api/event", event_body("ka-" + std::to_string(i)), write_);
    EXPECT_EQ(posted.status, 200U);
    EXPECT_TRUE(posted.keep_alive);
    const auto listed = client.get("/api/events", read_);
    EXPECT_EQ(listed.status, 200U);
    EXPECT_EQ(listed.json().at("items").as_array().size(), static_cast<std::size_t>(i + 1));
  }
  // A 404 or a 422 does not end the connection either.
  EXPECT_EQ(client.get("/nope", read_).status, 404U);
  EXPECT_EQ(client.post("/api/event", "[]", write_).status, 422U);
  EXPECT_EQ(client.get("/healthz").status, 200U);
}

TEST_P(ConsumerApi, SlowClientsDoNotBlockOthers) {
  test_server_options options;
  options.server.threads = 1;  // one I/O thread: a blocked thread would block everyone
  start(options);
  http_client half_header{port()};
  half_header.write_raw("POST /api/event HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le");
  http_client half_body{port()};
  half_body.write_raw(
      "POST /api/event HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + bearer(write_) +
      "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{\"ev");
  http_client silent{port()};

  EXPECT_EQ(http_once(port(), "GET", "/healthz").status, 200U);
  EXPECT_EQ(ingest(event_body("not-blocked")).status, 200U);
  EXPECT_EQ(list_everything().size(), 1U);
}

TEST_P(ConsumerApi, MalformedHttpIs400) {
  for (const std::string garbage :
       {"this is not http\r\n\r\n", "GET /healthz HTTX/1.1\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nBad Header Without Colon\r\n\r\n",
        "POST /api/event HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n"}) {
    http_client client{port()};
    client.write_raw(garbage);
    const auto r = client.read_reply();
    EXPECT_EQ(r.status, 400U) << garbage;
    EXPECT_TRUE(client.wait_closed_by_peer()) << garbage;
  }
  EXPECT_EQ(http_once(port(), "GET", "/healthz").status, 200U);
}

TEST_P(ConsumerApi, TransferEncodingNotEndingInChunkedIs400AndHidesNoRequest) {
  // A body the server would take as empty, followed by a GET in the same write: answering the
  // GET would mean a proxy and we disagree on where the first request ends.
  const std::string body = R"({"event_type":"t","event_payload":"p"})";
  const std::string hidden = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const std::string coding :
       {"gzip", "identity", "xchunked", "chunked, gzip", "\"chunked\""}) {
    for (const bool length_first : {true, false}) {
      const std::string length = "Content-Length: " + std::to_string(body.size()) + "\r\n";
      const std::string encoding = "Transfer-Encoding: " + coding + "\r\n";
      http_client client{port()};
      client.write_raw("POST /api/event HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                       make_token() + "\r\nContent-Type: application/json\r\n" +
                       (length_first ? length + encoding : encoding + length) + "\r\n" + body +
                       hidden);
      const auto r = client.read_reply();
      EXPECT_EQ(r.status, 400U) << coding;
      EXPECT_TRUE(client.wait_closed_by_peer()) << coding << ": the hidden GET was not answered";
    }
  }
  const auto before = call("GET", "/api/events", {}, read_);
  ASSERT_EQ(before.status, 200U);
  EXPECT_TRUE(before.json().at("items").as_array().empty()) << "nothing refused was stored";
  // A chunked body still works.
  http_client client{port()};
  client.write_raw("POST /api/event HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + make_token() +
                   "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                   [&] {
                     char size[16];
                     std::snprintf(size, sizeof size, "%zx", body.size());
                     return std::string{size};
                   }() +
                   "\r\n" + body + "\r\n0\r\n\r\n");
  EXPECT_EQ(client.read_reply().status, 200U);
  EXPECT_EQ(call("GET", "/api/events", {}, read_).json().at("items").as_array().size(), 1U);
}

TEST_P(ConsumerApi, HeaderTooLargeIs431) {
  const auto r =
      http_once(port(), "GET", "/healthz", {}, {{"X-Padding", std::string(20'000, 'h')}});
  EXPECT_EQ(r.status, 431U);
  EXPECT_EQ(
      http_once(port(), "GET", "/healthz", {}, {{"X-Padding", std::string(8'000, 'h')}}).status,
      200U);
}

TEST_P(ConsumerApi, HeadIsAnsweredWithHeadersOnly) {
  // Two pipelined requests on one connection: the HEAD answer must carry no body, or the
  // second answer would be read as the rest of the first.
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket{ioc};
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port()});
  const timeval five_seconds{5, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &five_seconds, sizeof five_seconds);
  boost::asio::write(socket, boost::asio::buffer(std::string{
                                 "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                                 "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"}));
  std::string received;
  boost::system::error_code ec;
  std::array<char, 4096> chunk{};
  while (!ec) {
    const auto n = socket.read_some(boost::asio::buffer(chunk), ec);
    received.append(chunk.data(), n);
  }
  const auto first_end = received.find("\r\n\r\n");
  ASSERT_NE(first_end, std::string::npos) << received;
  EXPECT_TRUE(received.starts_with("HTTP/1.1 405")) << received;
  EXPECT_NE(received.find("Allow: GET"), std::string::npos) << received;
  EXPECT_EQ(received.substr(first_end + 4, 15), "HTTP/1.1 200 OK") << received;
  EXPECT_TRUE(received.ends_with(R"({"status":"ok"})")) << received;
}

TEST_P(ConsumerApi, ReadTimeoutAppliesToEachRequestOnAKeepAliveConnection) {
  start_with_timeouts(std::chrono::milliseconds{300}, std::chrono::seconds{60});
  http_client client{port(), std::chrono::seconds{20}};
  ASSERT_EQ(client.get("/healthz").status, 200U);
  // Idle longer than the read timeout: fine, the idle timeout governs between requests.
  std::this_thread::sleep_for(std::chrono::milliseconds{600});
  ASSERT_EQ(client.get("/healthz").status, 200U);
  // A request that starts and stalls gets the read timeout, not the idle one.
  const auto started = std::chrono::steady_clock::now();
  client.write_raw("GET /healthz HTTP/1.1\r\nHo");
  EXPECT_TRUE(client.wait_closed_by_peer());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds{10});
}

TEST_P(ConsumerApi, IdleKeepAliveConnectionsCloseAfterTheIdleTimeout) {
  start_with_timeouts(std::chrono::seconds{10}, std::chrono::milliseconds{300});
  http_client client{port(), std::chrono::seconds{20}};
  ASSERT_EQ(client.get("/healthz").status, 200U);
  const auto idle_since = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.wait_closed_by_peer());
  const auto idle_for = std::chrono::steady_clock::now() - idle_since;
  // The server's idle clock starts when it has written the answer, a little before the client
  // has read it; a slow run (ThreadSanitizer) stretches that gap to a few milliseconds.
  EXPECT_GE(idle_for, std::chrono::milliseconds{250}) << "closed before the idle timeout";
  EXPECT_LT(idle_for, std::chrono::seconds{10}) << "the read timeout governed, not the idle one";
}

TEST_P(ConsumerApi, ABodyThatStallsIsCutOffByTheReadTimeoutAndStoresNothing) {
  start_with_timeouts(std::chrono::milliseconds{300}, std::chrono::seconds{60});
  http_client client{port(), std::chrono::seconds{20}};
  const std::string body = event_body("never-finished");
  client.write_raw("POST /api/event HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + write_ +
                   "\r\nContent-Type: application/json\r\nContent-Length: " +
                   std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, body.size() / 2));
  EXPECT_EQ(client.read_reply().status, 408U);
  EXPECT_TRUE(client.wait_closed_by_peer());
  EXPECT_TRUE(list_everything().empty());
}

TEST_P(ConsumerApi, StorageFailureIs500WithARequestIdAndNoInternals) {
  db_->reject_event_type("refused-by-storage");
  const auto r = ingest(R"({"event_type":"refused-by-storage","event_payload":"x"})");
  EXPECT_EQ(r.status, 500U) << r.body;
  const auto id = r.header("X-Request-Id");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->size(), 36U) << "a UUID the operator finds in the log";
  EXPECT_NE(r.detail().find(*id), std::string::npos) << r.body;
  EXPECT_EQ(r.detail().find("constraint"), std::string::npos) << "no internals: " << r.body;
  EXPECT_EQ(r.detail().find("CHECK"), std::string::npos) << "no internals: " << r.body;
  // The failed commit stored nothing, and the service goes on.
  EXPECT_EQ(ingest(event_body("after-the-failure")).status, 200U);
  EXPECT_EQ(list_everything().size(), 1U);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsumerApi, ::testing::ValuesIn(all_backends()),
                         backend_name{});

// ---------------------------------------------------------------------------------------
// Storage faults made real on SQLite: another connection holds the write lock, as another
// process (a backup, a sqlite3 shell) could. PostgreSQL outages are in postgres_tests.cmake.

backend sqlite_backend() {
  for (auto& b : all_backends())
    if (b.name == "sqlite") return b;
  throw std::logic_error("no sqlite backend");
}

class sqlite_write_lock {
 public:
  explicit sqlite_write_lock(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path);
    if (sqlite3_exec(db_, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string{"BEGIN EXCLUSIVE: "} + sqlite3_errmsg(db_));
  }
  ~sqlite_write_lock() { release(); }
  sqlite_write_lock(const sqlite_write_lock&) = delete;
  sqlite_write_lock& operator=(const sqlite_write_lock&) = delete;

  void release() {
    if (db_ == nullptr) return;
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
    db_ = nullptr;
  }

 private:
  sqlite3* db_ = nullptr;
};

class ConsumerApiSqlite : public ::testing::Test {
 protected:
  void start(test_server_options options) {
    options.storage = db_.config();
    server_ = std::make_unique<test_server>(options);
  }
  http_reply ingest(const std::string& event_id) {
    return http_once(server_->port(), "POST", "/api/event", event_body(event_id),
                     auth_header(write_));
  }

  test_database db_{sqlite_backend()};
  std::unique_ptr<test_server> server_;
  const std::string write_ = make_token("events:write");
};

TEST_F(ConsumerApiSqlite, StorageDownIs503WithRetryAfterAndRecovers) {
  test_server_options options;
  options.api.retry_after = std::chrono::seconds{7};
  start(options);
  ASSERT_EQ(ingest("before").status, 200U);

  sqlite_write_lock lock{db_.sqlite_path()};
  const auto refused = ingest("during");
  EXPECT_EQ(refused.status, 503U) << refused.body;
  EXPECT_EQ(refused.header("Retry-After"), "7");
  EXPECT_FALSE(refused.detail().empty());
  const auto not_ready = http_once(server_->port(), "GET", "/api/ready", {}, auth_header(write_));
  EXPECT_EQ(not_ready.status, 503U);
  EXPECT_EQ(not_ready.header("Retry-After"), "7");
  EXPECT_EQ(http_once(server_->port(), "GET", "/healthz").status, 200U);
  lock.release();

  EXPECT_EQ(ingest("after").status, 200U);
  EXPECT_EQ(http_once(server_->port(), "GET", "/api/ready", {}, auth_header(write_)).status, 200U);
  auto& store = server_->store();
  EXPECT_TRUE(store.get_by_event_id("before"));
  EXPECT_FALSE(store.get_by_event_id("during"));
  EXPECT_TRUE(store.get_by_event_id("after"));
}

TEST_F(ConsumerApiSqlite, FullWriteQueueIs503WithRetryAfter) {
  test_server_options options;
  options.writer.queue_capacity = 1;
  options.server.threads = 4;
  start(options);
  sqlite_write_lock lock{db_.sqlite_path()};

  // The writer is stuck behind the lock with the first request; at most one more fits.
  constexpr int clients = 4;
  std::vector<std::future<http_reply>> replies;
  std::atomic<int> queue_full{0};
  for (int i = 0; i < clients; ++i) {
    replies.push_back(std::async(std::launch::async, [this, i, &queue_full] {
      auto r = ingest("q-" + std::to_string(i));
      if (r.status == 503 && r.detail().find("queue") != std::string::npos) ++queue_full;
      return r;
    }));
  }
  ASSERT_TRUE(eventually([&] { return queue_full.load() > 0; }));
  lock.release();

  for (int i = 0; i < clients; ++i) {
    const auto r = replies[static_cast<std::size_t>(i)].get();
    ASSERT_TRUE(r.status == 200U || r.status == 503U) << r.status << " " << r.body;
    if (r.status == 503U) {
      EXPECT_EQ(r.header("Retry-After"), "1");
    } else {
      EXPECT_TRUE(server_->store().get_by_event_id("q-" + std::to_string(i)));
    }
  }
  EXPECT_GE(queue_full.load(), 1);
  EXPECT_EQ(ingest("afterwards").status, 200U);
}

}  // namespace
}  // namespace evs::test
