// The run loop and the real libcurl sender against a real HTTP server on 127.0.0.1, scripted
// to answer what an endpoint may answer. Time in the run loop is a fake clock, so backoff and
// Retry-After cost no waiting; the HTTP exchanges are real.
#include "codec/body_inflater.hpp"
#include "propagator/curl_sender.hpp"
#include "propagator/scheduler.hpp"
#include "support/propagator_fakes.hpp"
#include "support/scripted_server.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace evs::propagator {
namespace {

using namespace std::chrono_literals;
using test::scripted_reply;
using test::scripted_server;
using kind = scripted_reply::kind;

// Starts the server on the given port before the n-th send: an endpoint that comes up late.
class late_endpoint final : public sender {
 public:
  late_endpoint(sender& inner, std::uint16_t port, std::size_t up_at)
      : inner_{inner}, port_{port}, up_at_{up_at} {}
  send_result send(std::string_view body, std::chrono::milliseconds timeout) override {
    if (++calls_ == up_at_) server = std::make_unique<scripted_server>(port_);
    return inner_.send(body, timeout);
  }
  std::unique_ptr<scripted_server> server;
  std::size_t calls_ = 0;

 private:
  sender& inner_;
  std::uint16_t port_;
  std::size_t up_at_;
};

class PropagatorDelivery : public ::testing::Test {
 protected:
  PropagatorDelivery() {
    cfg.interval_seconds = 1;
    cfg.api_token = "test-token";
    cfg.request_timeout_seconds = 5;
    cfg.spool_path = (dir / "spool.db").string();
    log::configure(log::format::text, log::level::warn);
  }

  // `wrap` may put a decorator around the real sender.
  run_stats run(const std::string& url, const std::function<sender&(sender&)>& wrap = {}) {
    cfg.api_url = url;
    spool store{cfg.spool_path, cfg.spool_max_events};
    event_source source{load_templates(""), pick_order::sequential, 1};
    curl_sender http{
        cfg.api_url, cfg.api_token, [this] { return stop.aborted(); }, {}, cfg.compress};
    sender& out = wrap ? wrap(http) : http;
    scheduler s{cfg, {store, source, out, steady, steady, random, stop, 11}};
    return s.run();
  }

  static void expect_exactly_once(const std::map<std::string, int>& stored, std::size_t n) {
    EXPECT_EQ(stored.size(), n);
    for (const auto& [id, times] : stored) EXPECT_EQ(times, 1) << id;
  }

  spool reader() { return spool{cfg.spool_path, 100, spool::mode::reader}; }

  test::temp_dir dir;
  config cfg = default_config();
  testing::fake_clock steady;
  testing::fixed_random random{0.5};
  stop_signal stop;
};

TEST_F(PropagatorDelivery, PostsJsonBatchesWithTheTokenOverOneConnection) {
  scripted_server server;
  cfg.count = 20;
  const auto stats = run(server.url());
  EXPECT_EQ(stats.delivered, 20U);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 20U);
  EXPECT_EQ(server.connections(), 1U);  // keep-alive
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/api/event");
  EXPECT_EQ(requests[0].headers.at("authorization"), "Bearer test-token");
  EXPECT_EQ(requests[0].headers.at("content-type"), "application/json");
  expect_exactly_once(server.deliveries(), 20);
  EXPECT_EQ(reader().pending(), 0U);
}

TEST_F(PropagatorDelivery, WithCompressGzipBodiesGoCompressedAndDecodeToTheEvents) {
  scripted_server server;
  cfg.count = 5;
  cfg.compress = true;
  EXPECT_EQ(run(server.url()).delivered, 5U);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 5U);
  for (const auto& r : requests) {
    EXPECT_EQ(r.headers.at("content-encoding"), "gzip");
    codec::body_inflater gunzip{codec::content_coding::gzip};
    std::string json;
    ASSERT_EQ(gunzip.feed(r.body, json, 1024 * 1024), codec::body_inflater::status::ok);
    EXPECT_TRUE(gunzip.ended());
    EXPECT_EQ(testing::scripted_sender::ids_in(json).size(), 1U) << json;
  }
}

TEST_F(PropagatorDelivery, ServerErrorsAreRetriedWithTheSameEvents) {
  scripted_server server;
  server.push(503, R"({"detail":"storage unavailable"})");
  server.push(500);
  server.push(408);
  cfg.count = 3;
  const auto stats = run(server.url());
  EXPECT_EQ(stats.delivered, 3U);
  EXPECT_EQ(stats.failed_attempts, 3U);
  const auto requests = server.requests();
  ASSERT_GE(requests.size(), 4U);
  // Every retry starts with the same first event, same id; newer events may join it.
  const auto first = testing::scripted_sender::ids_in(requests[0].body);
  ASSERT_EQ(first.size(), 1U);
  for (std::size_t i = 1; i < 4; ++i)
    EXPECT_EQ(testing::scripted_sender::ids_in(requests[i].body).front(), first.front());
  expect_exactly_once(server.deliveries(), 3);
}

TEST_F(PropagatorDelivery, RetryAfterIsHonoured) {
  scripted_server server;
  server.push(429, R"({"detail":"write queue full"})", {{"Retry-After", "3"}});
  server.push(503, R"({"detail":"storage unavailable"})", {{"Retry-After", "12"}});
  cfg.count = 1;
  cfg.status_interval_seconds = 1000;
  const auto stats = run(server.url());
  EXPECT_EQ(stats.delivered, 1U);
  // With jitter alone the waits would be 0.25 s and 0.5 s.
  EXPECT_EQ(steady.slept(), (std::vector<testing::fake_clock::duration>{3s, 12s}));
  expect_exactly_once(server.deliveries(), 1);
}

TEST_F(PropagatorDelivery, OtherClientErrorsGoToDeadLettersWithStatusAndBody) {
  scripted_server server;
  server.push(401, R"({"detail":"Not authenticated"})", {{"WWW-Authenticate", "Bearer"}});
  server.push(422, R"({"detail":[{"loc":["body",0,"event_type"],"msg":"bad","type":"x"}]})");
  cfg.count = 4;
  const auto stats = run(server.url());
  EXPECT_EQ(stats.dead_lettered, 2U);
  EXPECT_EQ(stats.delivered, 2U);
  const auto letters = reader().dead_letters();
  ASSERT_EQ(letters.size(), 2U);
  EXPECT_EQ(letters[0].http_status, 401);
  EXPECT_EQ(letters[0].response_body, R"({"detail":"Not authenticated"})");
  EXPECT_EQ(letters[1].http_status, 422);
  const auto delivered = server.deliveries();
  expect_exactly_once(delivered, 2);
  for (const auto& d : letters) EXPECT_FALSE(delivered.contains(d.event.event_id));
  EXPECT_EQ(reader().pending(), 0U);
}

TEST_F(PropagatorDelivery, AClosedConnectionIsRetried) {
  scripted_server server;
  server.push(kind::close);
  server.push(kind::close);
  cfg.count = 2;
  const auto stats = run(server.url());
  EXPECT_EQ(stats.delivered, 2U);
  EXPECT_EQ(stats.failed_attempts, 2U);
  EXPECT_GE(server.connections(), 3U);
  expect_exactly_once(server.deliveries(), 2);
}

TEST_F(PropagatorDelivery, ALostAnswerIsRetriedAndNotStoredTwice) {
  // The endpoint committed, then died before answering: the retry carries the same ids,
  // which the endpoint recognises.
  scripted_server server;
  server.push(kind::commit_close);
  cfg.count = 1;
  const auto stats = run(server.url());
  EXPECT_EQ(stats.delivered, 1U);
  EXPECT_EQ(stats.duplicates, 1U);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].body, requests[1].body);
  const auto delivered = server.deliveries();
  ASSERT_EQ(delivered.size(), 1U);
  EXPECT_EQ(delivered.begin()->second, 2);  // sent again, recognised by its id
}

TEST_F(PropagatorDelivery, ARequestThatTimesOutIsRetried) {
  scripted_server server;
  server.push(kind::hang);
  cfg.count = 1;
  cfg.request_timeout_seconds = 0.3;
  const auto stats = run(server.url());
  EXPECT_EQ(stats.delivered, 1U);
  EXPECT_EQ(stats.failed_attempts, 1U);
  expect_exactly_once(server.deliveries(), 1);
}

TEST_F(PropagatorDelivery, WaitsForAnEndpointThatIsNotUpYet) {
  const auto port = test::unused_port();
  std::unique_ptr<late_endpoint> late;
  cfg.count = 5;
  cfg.backoff_max_seconds = 2;
  const auto stats =
      run("http://127.0.0.1:" + std::to_string(port) + "/api/event", [&](sender& http) -> sender& {
        late = std::make_unique<late_endpoint>(http, port, 6);
        return *late;
      });
  EXPECT_EQ(stats.delivered, 5U);
  EXPECT_EQ(stats.failed_attempts, 5U);
  ASSERT_NE(late->server, nullptr);
  expect_exactly_once(late->server->deliveries(), 5);
  // While it was down, generation went on and the backlog left in one request.
  EXPECT_GT(testing::scripted_sender::ids_in(late->server->requests().front().body).size(), 1U);
}

}  // namespace
}  // namespace evs::propagator
