#include "propagator/metrics_endpoint.hpp"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace evs::propagator {
namespace {

server::http_request request(std::string method, std::string path) {
  server::http_request r;
  r.method = std::move(method);
  r.path = path;
  r.target = std::move(path);
  return r;
}

class MetricsEndpoint : public ::testing::Test {
 protected:
  unsigned refused_with(const server::http_request& head) {
    const auto a = handler_.admit(head);
    return a.refusal ? a.refusal->status : 0U;
  }

  propagator_metrics metrics_;
  metrics_handler handler_{metrics_};
};

TEST_F(MetricsEndpoint, OnlyGetMetricsIsServed) {
  EXPECT_EQ(refused_with(request("GET", "/metrics")), 0U);
  EXPECT_EQ(refused_with(request("GET", "/")), 404U);
  EXPECT_EQ(refused_with(request("GET", "/metrics/x")), 404U);
  EXPECT_EQ(refused_with(request("POST", "/nope")), 404U);
  const auto post = handler_.admit(request("POST", "/metrics"));
  ASSERT_TRUE(post.refusal);
  EXPECT_EQ(post.refusal->status, 405U);
  ASSERT_EQ(post.refusal->headers.size(), 1U);
  EXPECT_EQ(post.refusal->headers[0], (std::pair<std::string, std::string>{"Allow", "GET"}));
  auto with_body = request("GET", "/metrics");
  with_body.content_length = 5;
  EXPECT_EQ(refused_with(with_body), 413U);
}

TEST_F(MetricsEndpoint, TheScrapeIsTheTextFormatOfTheMetrics) {
  metrics_.delivered.add(42);
  boost::asio::io_context io;
  const auto head = request("GET", "/metrics");
  const server::matched_route route;
  auto answer = boost::asio::co_spawn(io, handler_.respond(route, head), boost::asio::use_future);
  io.run();
  const auto res = answer.get();
  EXPECT_EQ(res.status, 200U);
  EXPECT_EQ(res.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(res.body.find("\nevs_propagator_events_delivered_total 42\n"), std::string::npos)
      << res.body;
  EXPECT_NE(res.body.find("\nprocess_open_fds "), std::string::npos);
}

TEST_F(MetricsEndpoint, AProtocolErrorIsAnsweredWithItsStatus) {
  EXPECT_EQ(handler_.on_protocol_error(server::protocol_error::header_too_large, {}).status, 431U);
  EXPECT_EQ(handler_.on_protocol_error(server::protocol_error::malformed_request, {}).status, 400U);
}

}  // namespace
}  // namespace evs::propagator
