#include "consumer/completion_inbox.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <future>
#include <thread>

namespace evs::consumer {
namespace {

namespace asio = boost::asio;

TEST(CompletionInbox, RunsEveryJobOnTheContextsThreadInTheOrderDelivered) {
  asio::io_context ioc;
  auto work = asio::make_work_guard(ioc);
  std::thread io{[&ioc] { ioc.run(); }};
  const auto io_id = io.get_id();
  auto& inbox = asio::use_service<completion_inbox>(ioc);

  std::vector<int> seen;
  bool all_on_io_thread = true;
  std::promise<void> last_ran;
  constexpr int jobs = 1000;
  for (int i = 0; i < jobs; ++i)
    inbox.deliver(ioc.get_executor(), [&, i] {
      seen.push_back(i);
      all_on_io_thread = all_on_io_thread && std::this_thread::get_id() == io_id;
      if (i == jobs - 1) last_ran.set_value();
    });
  ASSERT_EQ(last_ran.get_future().wait_for(std::chrono::seconds{10}), std::future_status::ready);
  work.reset();
  io.join();

  ASSERT_EQ(seen.size(), static_cast<std::size_t>(jobs));
  for (int i = 0; i < jobs; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], i);
  EXPECT_TRUE(all_on_io_thread);
}

// The reason the inbox exists: a burst of jobs costs the I/O thread one handler, not one each.
// io_context::run() returns how many handlers it ran.
TEST(CompletionInbox, EachBurstIsOneHandlerOnTheContext) {
  asio::io_context ioc;
  auto& inbox = asio::use_service<completion_inbox>(ioc);
  int ran = 0;
  for (int burst = 1; burst <= 2; ++burst) {
    for (int i = 0; i < 100; ++i) inbox.deliver(ioc.get_executor(), [&ran] { ++ran; });
    ioc.restart();
    EXPECT_EQ(ioc.run(), 1U) << "burst " << burst;
    EXPECT_EQ(ran, 100 * burst);
  }
}

TEST(CompletionInbox, JobsThatNeverRanAreDestroyedWithTheContext) {
  auto owned = std::make_shared<int>(42);
  {
    asio::io_context ioc;  // never run
    asio::use_service<completion_inbox>(ioc).deliver(ioc.get_executor(),
                                                     [owned] { ADD_FAILURE() << "ran"; });
    EXPECT_EQ(owned.use_count(), 2);
  }
  EXPECT_EQ(owned.use_count(), 1);
}

}  // namespace
}  // namespace evs::consumer
