// ADMIN_PORT on the real binary: /metrics, /dashboard, /openapi.json and /docs leave the main
// port for a second listener, which also serves the API under the same token rules (the pages
// call their own origin) and counts what the main one does.
#include "support/consumer_process.hpp"
#include "support/http_client.hpp"
#include "support/metrics_scrape.hpp"
#include "support/temp_dir.hpp"
#include "support/tokens.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <string>

namespace evs::test {
namespace {

// A port free a moment ago: the kernel's pick for a listener that is closed at once.
std::uint16_t free_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor probe{
      ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}, /*reuse_address=*/true};
  return probe.local_endpoint().port();
}

TEST(AdminPort, MetricsAndDocsMoveToTheAdminListener) {
  temp_dir dir{"evs-admin"};
  const auto admin_port = free_port();
  consumer_process consumer{
      EVS_CONSUMER_BINARY,
      dir / "consumer.log",
      {{"DB_PATH", (dir / "events.db").string()}, {"ADMIN_PORT", std::to_string(admin_port)}}};
  const auto port = consumer.wait_listening();

  EXPECT_EQ(http_once(port, "GET", "/metrics").status, 404U);
  EXPECT_EQ(http_once(port, "GET", "/openapi.json").status, 404U);
  EXPECT_EQ(http_once(port, "GET", "/docs").status, 404U);
  EXPECT_EQ(http_once(port, "GET", "/dashboard").status, 404U);
  const auto stored =
      http_once(port, "POST", "/api/event", R"({"event_type":"t","event_payload":"p"})",
                {{"Authorization", bearer(make_token("events:write"))}});
  EXPECT_EQ(stored.status, 200U) << stored.body;

  const auto scrape = http_once(admin_port, "GET", "/metrics");
  ASSERT_EQ(scrape.status, 200U) << consumer.log();
  EXPECT_EQ(scrape.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(sample_value(scrape.body, "evs_events_accepted_total"), "1") << scrape.body;
  // The main port's 404s for /metrics, /openapi.json, /docs and /dashboard.
  EXPECT_EQ(sample_value(scrape.body, R"(evs_http_requests_total{method="unmatched",)"
                                      R"(route="unmatched",code="4xx"})"),
            "4")
      << scrape.body;

  const auto document = http_once(admin_port, "GET", "/openapi.json");
  EXPECT_EQ(document.status, 200U);
  EXPECT_NE(document.body.find("\"openapi\""), std::string::npos);
  EXPECT_EQ(http_once(admin_port, "GET", "/docs").status, 200U);
  EXPECT_EQ(http_once(admin_port, "GET", "/dashboard").status, 200U);
  EXPECT_EQ(http_once(admin_port, "GET", "/dashboard/uplot.min.js").status, 200U);

  // The API the dashboard's event panels and /docs' "Try it out" call, with the same tokens.
  EXPECT_EQ(http_once(admin_port, "GET", "/api/events").status, 401U);
  EXPECT_EQ(http_once(admin_port, "GET", "/api/events", "",
                      {{"Authorization", bearer(make_token("events:write"))}})
                .status,
            403U);
  const auto listed = http_once(admin_port, "GET", "/api/events", "",
                                {{"Authorization", bearer(make_token("events:read"))}});
  EXPECT_EQ(listed.status, 200U) << listed.body;
  EXPECT_NE(listed.body.find(R"("event_type":"t")"), std::string::npos) << listed.body;
  const auto posted =
      http_once(admin_port, "POST", "/api/event", R"({"event_type":"u","event_payload":"p"})",
                {{"Authorization", bearer(make_token("events:write"))}});
  EXPECT_EQ(posted.status, 200U) << posted.body;
  EXPECT_EQ(http_once(admin_port, "GET", "/healthz").status, 200U);
  EXPECT_EQ(http_once(admin_port, "POST", "/metrics", "{}").status, 405U);
  EXPECT_EQ(http_once(admin_port, "GET", "/no-such-page").status, 404U);

  const auto stopped = consumer.terminate(std::chrono::seconds{20});
  ASSERT_TRUE(stopped);
  EXPECT_TRUE(stopped->exited && stopped->code == 0) << consumer.log();
}

}  // namespace
}  // namespace evs::test
