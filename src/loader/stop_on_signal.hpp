#pragma once
// SIGINT and SIGTERM request a stop of the loader's stop_source. Construct it before any other
// thread starts (libnats starts some when connecting): the signals are blocked for the process
// and taken by a thread of its own, so that no library thread is interrupted by them.
#include <csignal>
#include <stop_token>
#include <thread>

namespace evs::loader {

class stop_on_signal {
 public:
  explicit stop_on_signal(std::stop_source& stop);
  ~stop_on_signal();
  stop_on_signal(const stop_on_signal&) = delete;
  stop_on_signal& operator=(const stop_on_signal&) = delete;

 private:
  std::thread thread_;
};

}  // namespace evs::loader
