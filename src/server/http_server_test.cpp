#include "server/http_server.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <future>

namespace evs::server {
namespace {

using namespace std::chrono_literals;

http_response status_only(unsigned status) {
  http_response r;
  r.status = status;
  return r;
}

class answers_nothing final : public request_handler {
 public:
  admission admit(const http_request& /*head*/) override { return {status_only(404), {}}; }
  boost::asio::awaitable<http_response> respond(const matched_route& /*route*/,
                                                const http_request& /*request*/) override {
    co_return status_only(404);
  }
  http_response on_protocol_error(protocol_error /*error*/, std::string_view /*detail*/) override {
    return status_only(400);
  }
};

TEST(HttpServer, ASignalBetweenListeningAndRunStopsItCleanly) {
  // The consumer logs "listening" once the server is built; a supervisor may send SIGTERM
  // right then, before run(). The signal must be caught and honoured, not kill the process.
  server_config config;
  config.port = 0;
  config.threads = 1;
  config.handle_signals = true;
  answers_nothing handler;
  http_server server{config, handler};
  ASSERT_EQ(std::raise(SIGTERM), 0);  // still alive: the server caught it

  auto ran = std::async(std::launch::async, [&] { server.run(); });
  EXPECT_EQ(ran.wait_for(10s), std::future_status::ready) << "run() did not see the signal";
  if (ran.wait_for(0s) != std::future_status::ready) server.stop();
}

TEST(HttpServer, TheShutdownDeadlineIsTheTimeoutAfterTheStop) {
  server_config config;
  config.port = 0;
  config.threads = 1;
  config.handle_signals = false;
  config.shutdown_timeout = 3s;
  answers_nothing handler;
  http_server server{config, handler};
  const auto before = std::chrono::steady_clock::now();
  server.stop();
  server.run();  // stopped before it began: returns at once
  EXPECT_GE(server.shutdown_deadline(), before + 3s);
  EXPECT_LE(server.shutdown_deadline(), std::chrono::steady_clock::now() + 3s);
}

}  // namespace
}  // namespace evs::server
