#include "runtime/thread_name.hpp"

#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>

namespace {

// What `top -H` shows for the calling thread.
std::string own_comm() {
  std::ifstream in{"/proc/self/task/" + std::to_string(::syscall(SYS_gettid)) + "/comm"};
  std::string name;
  std::getline(in, name);
  return name;
}

TEST(ThreadName, ShowsInProcAndIsCutToFifteenBytes) {
  std::string short_name;
  std::string long_name;
  std::thread{[&] {
    evs::runtime::name_this_thread("evs-io-1");
    short_name = own_comm();
    evs::runtime::name_this_thread("evs-writer-with-a-long-name");
    long_name = own_comm();
  }}.join();
  EXPECT_EQ(short_name, "evs-io-1");
  EXPECT_EQ(long_name, "evs-writer-with");
}

}  // namespace
