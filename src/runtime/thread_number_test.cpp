#include "runtime/thread_number.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace evs::runtime {
namespace {

TEST(ThreadNumber, IsKeptByItsThreadAndDiffersBetweenThreads) {
  const auto mine = this_thread_number();
  EXPECT_EQ(this_thread_number(), mine);
  std::size_t first = 0;
  std::size_t second = 0;
  std::thread{[&] { first = this_thread_number(); }}.join();
  std::thread{[&] { second = this_thread_number(); }}.join();
  EXPECT_NE(first, mine);
  EXPECT_NE(second, mine);
  EXPECT_NE(first, second);
}

}  // namespace
}  // namespace evs::runtime
