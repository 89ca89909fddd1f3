#include "server/session_registry.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>
#include <optional>

#include <gtest/gtest.h>

namespace evs::server {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// A connected pair on loopback: the server side is what a session would own.
struct connection {
  explicit connection(asio::io_context& ioc, tcp::acceptor& acceptor) : client{ioc}, server{ioc} {
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
  }
  tcp::socket client;
  tcp::socket server;
};

class SessionRegistry : public ::testing::Test {
 protected:
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc, tcp::endpoint{asio::ip::make_address("127.0.0.1"), 0}};
  session_registry registry;
};

TEST_F(SessionRegistry, ClosesOnlyTheConnectionsPastTheirDeadline) {
  connection late{ioc, acceptor};
  connection on_time{ioc, acceptor};
  connection waiting_on_handler{ioc, acceptor};
  registration a{registry, late.server};
  registration b{registry, on_time.server};
  registration c{registry, waiting_on_handler.server};
  a.deadline_in(10ms);
  b.deadline_in(10s);
  c.deadline_in(10ms);
  c.no_deadline();

  close_expired(registry, deadline_clock::now() + 1s);

  EXPECT_FALSE(late.server.is_open());
  EXPECT_TRUE(on_time.server.is_open());
  EXPECT_TRUE(waiting_on_handler.server.is_open());
}

TEST_F(SessionRegistry, ARequestPastItsDeadlineIsCancelledFirstAndClosedASecondLater) {
  connection slow{ioc, acceptor};
  registration r{registry, slow.server};
  r.request_deadline_in(10ms);

  close_expired(registry, deadline_clock::now() + 20ms);
  EXPECT_TRUE(r.timed_out());
  EXPECT_TRUE(slow.server.is_open()) << "left open so that the session can answer 408";

  close_expired(registry, deadline_clock::now() + 500ms);
  EXPECT_TRUE(slow.server.is_open()) << "the 408 gets a second";
  close_expired(registry, deadline_clock::now() + 2s);
  EXPECT_FALSE(slow.server.is_open());
}

TEST_F(SessionRegistry, TheSweepEndsAReadThatOutlivesItsDeadline) {
  connection stalled{ioc, acceptor};
  std::optional<boost::system::error_code> read_error;
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        registration reg{registry, stalled.server};
        reg.deadline_in(50ms);
        std::array<char, 16> buffer{};
        auto [ec, n] = co_await stalled.server.async_read_some(asio::buffer(buffer),
                                                               asio::as_tuple(asio::use_awaitable));
        read_error = ec;
        registry.stopping = true;  // lets the sweep end once this session is gone
      },
      asio::detached);
  asio::co_spawn(ioc, enforce_deadlines(registry, deadline_tick(50ms)), asio::detached);
  const auto started = deadline_clock::now();
  ioc.run_for(10s);

  ASSERT_TRUE(read_error.has_value()) << "the client never sent anything, yet the read is pending";
  EXPECT_EQ(*read_error, asio::error::operation_aborted);
  EXPECT_GE(deadline_clock::now() - started, 50ms) << "closed before its deadline";
  EXPECT_TRUE(registry.sessions.empty());
}

TEST(DeadlineTick, IsAnEighthOfTheShortestTimeoutWithinBounds) {
  EXPECT_EQ(deadline_tick(800ms), 100ms);
  EXPECT_EQ(deadline_tick(10ms), 5ms);
  EXPECT_EQ(deadline_tick(60s), 250ms);
}

}  // namespace
}  // namespace evs::server
