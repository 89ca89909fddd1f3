#include "server/open_files.hpp"

#include <gtest/gtest.h>

#include <sys/resource.h>

namespace evs::server {
namespace {

TEST(OpenFiles, DefaultCapLeavesAReserveForTheRest) {
  EXPECT_EQ(default_max_connections(1'048'576), 1'048'512U) << "64 kept back";
  EXPECT_EQ(default_max_connections(1024), 960U);
  EXPECT_EQ(default_max_connections(64), 48U) << "a quarter of a small limit";
  EXPECT_EQ(default_max_connections(1), 1U) << "never zero";
}

TEST(OpenFiles, SoftLimitIsRaisedToTheHardLimit) {
  rlimit before{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &before), 0);
  rlimit lowered = before;
  lowered.rlim_cur = std::min<rlim_t>(before.rlim_max, 256);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &lowered), 0);
  const auto raised = raise_open_file_limit();
  rlimit after{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &after), 0);
  EXPECT_EQ(after.rlim_cur, before.rlim_max);
  if (before.rlim_max != RLIM_INFINITY) {
    EXPECT_EQ(raised, before.rlim_max);
  }
  ::setrlimit(RLIMIT_NOFILE, &before);
}

}  // namespace
}  // namespace evs::server
