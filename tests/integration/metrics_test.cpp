// GET /metrics of the real consumer, in-process on SQLite: known traffic (stored events,
// duplicates, 401s, a 422, a 413, unknown paths, a malformed request), then a scrape whose
// counters must match it exactly, checked as well by Prometheus's own promtool.
#include "support/backends.hpp"
#include "support/http_client.hpp"
#include "support/metrics_scrape.hpp"
#include "support/promtool.hpp"
#include "support/test_server.hpp"
#include "support/tokens.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

namespace evs::test {
namespace {

using namespace std::chrono_literals;

class Metrics : public ::testing::Test {
 protected:
  void start(test_server_options options) {
    options.storage = db_.config();
    // One I/O thread: each token is verified once and then found in that thread's cache.
    options.server.threads = 1;
    options.server.body_limit = 4096;
    server_ = std::make_unique<test_server>(options);
  }

  http_reply post(const std::string& target, const std::string& body, const std::string& token) {
    header_list headers;
    if (!token.empty()) headers.emplace_back("Authorization", bearer(token));
    return http_once(server_->port(), "POST", target, body, headers);
  }

  std::string scrape() {
    const auto r = http_once(server_->port(), "GET", "/metrics");
    EXPECT_EQ(r.status, 200U) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    return r.body;
  }

  test_database db_{all_backends().front()};
  std::unique_ptr<test_server> server_;
  const std::string writer_ = make_token("events:write");
};

TEST_F(Metrics, CountersMatchTheTrafficExactly) {
  start({});
  const std::string batch = R"([{"event_type":"t","event_payload":"1","event_id":"a"},)"
                            R"({"event_type":"t","event_payload":"2","event_id":"b"},)"
                            R"({"event_type":"t","event_payload":"3","event_id":"c"}])";
  const std::string single = R"({"event_type":"t","event_payload":"4","event_id":"e"})";
  const std::string created = R"({"event_type":"t","event_payload":"5","event_id":"d"})";
  const std::string again = R"([{"event_type":"t","event_payload":"1","event_id":"a"},)"
                            R"({"event_type":"t","event_payload":"2","event_id":"b"}])";
  const std::string invalid = R"({"event_type":"t"})";

  EXPECT_EQ(post("/api/event", batch, writer_).json().at("accepted").as_int64(), 3);
  EXPECT_EQ(post("/api/event", single, writer_).status, 200U);
  EXPECT_EQ(post("/api/events", created, writer_).status, 201U);
  EXPECT_EQ(post("/api/event", again, writer_).json().at("duplicates").as_int64(), 2);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(post("/api/event", single, {}).status, 401U);
  EXPECT_EQ(post("/api/event", invalid, writer_).status, 422U);
  EXPECT_EQ(post("/api/event", std::string(5000, ' '), writer_).status, 413U);
  EXPECT_EQ(http_once(server_->port(), "GET", "/nope").status, 404U);
  EXPECT_EQ(http_once(server_->port(), "DELETE", "/healthz").status, 405U);
  {
    http_client client{server_->port(), 10s};
    client.write_raw("NOT HTTP AT ALL\r\n\r\n");
    EXPECT_EQ(client.read_reply().status, 400U);
  }

  const auto text = scrape();
  const auto expect = [&](const std::string& series, const std::string& value) {
    EXPECT_EQ(sample_value(text, series), value) << series << "\n" << text;
  };
  expect(R"(evs_http_requests_total{method="POST",route="/api/event",code="2xx"})", "3");
  expect(R"(evs_http_requests_total{method="POST",route="/api/event",code="4xx"})", "5");
  expect(R"(evs_http_requests_total{method="POST",route="/api/events",code="2xx"})", "1");
  expect(R"(evs_http_requests_total{method="unmatched",route="unmatched",code="4xx"})", "3");
  expect(R"(evs_http_requests_total{method="GET",route="/metrics",code="2xx"})", "0");
  expect(R"(evs_http_request_duration_seconds_count{method="POST",route="/api/event"})", "8");
  expect(R"(evs_http_request_duration_seconds_bucket{method="POST",route="/api/event",le="+Inf"})",
         "8");
  expect("evs_events_accepted_total", "5");
  expect("evs_events_duplicate_total", "2");
  expect(R"(evs_event_requests_rejected_total{reason="auth"})", "3");
  expect(R"(evs_event_requests_rejected_total{reason="validation"})", "1");
  expect(R"(evs_event_requests_rejected_total{reason="size"})", "1");
  expect(R"(evs_event_requests_rejected_total{reason="backpressure"})", "0");
  // Only bodies that were read count: not those refused from their head (401, 413).
  expect("evs_http_request_body_bytes_total",
         std::to_string(batch.size() + single.size() + created.size() + again.size() +
                        invalid.size()));
  // Four requests committed one after the other: four commits of 3, 1, 1 and 2 events.
  expect("evs_commit_group_requests_count", "4");
  expect("evs_commit_group_requests_sum", "4");
  expect("evs_commit_group_events_sum", "7");
  expect(R"(evs_commit_group_events_bucket{le="2"})", "3");
  expect("evs_commit_duration_seconds_count", "4");
  expect("evs_write_queue_events", "0");
  expect("evs_write_queue_capacity_events", "100000");
  expect("evs_storage_errors_total", "0");
  expect("evs_storage_ready", "1");
  // The first token is verified, then cached; headers without a token are checked every time.
  expect("evs_token_verifications_total", "4");
  expect("evs_token_cache_hits_total", "5");
  expect(R"(evs_build_info{version=")" EVS_VERSION R"(",backend="sqlite"})", "1");
  EXPECT_GE(std::stoull(sample_value(text, "evs_http_connections_open").value_or("0")), 1U);
  EXPECT_GE(std::stoull(sample_value(text, "process_open_fds").value_or("0")), 3U);
  EXPECT_GT(std::stod(sample_value(text, "process_resident_memory_bytes").value_or("0")), 0.0);

  // The scrape itself is a request like any other, counted once answered.
  EXPECT_EQ(sample_value(scrape(),
                         R"(evs_http_requests_total{method="GET",route="/metrics",code="2xx"})"),
            "1");
}

TEST_F(Metrics, PromtoolFindsTheScrapeValid) {
  // Not an empty scrape: every kind of family has samples to check.
  start({});
  EXPECT_EQ(post("/api/event", R"({"event_type":"t","event_payload":"p"})", writer_).status, 200U);
  EXPECT_EQ(post("/api/event", "{}", {}).status, 401U);
  const auto text = scrape();

  expect_promtool_accepts(EVS_PROMTOOL, text);
}

TEST_F(Metrics, MetricsOffIsNotFound) {
  test_server_options options;
  options.api.serve_metrics = false;
  start(options);
  EXPECT_EQ(http_once(server_->port(), "GET", "/metrics").status, 404U);
  EXPECT_EQ(http_once(server_->port(), "GET", "/dashboard").status, 404U);
  EXPECT_EQ(http_once(server_->port(), "GET", "/dashboard/app.js").status, 404U);
  EXPECT_EQ(http_once(server_->port(), "GET", "/docs").status, 200U);
}

}  // namespace
}  // namespace evs::test
