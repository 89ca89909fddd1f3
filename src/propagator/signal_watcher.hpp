#pragma once
// Turns SIGTERM/SIGINT into stop_signal requests. Construct it in main before any other
// thread starts: it blocks the signals for the process and waits for them on its own thread.
#include "propagator/stop_signal.hpp"

#include <atomic>
#include <thread>

namespace evs::propagator {

class signal_watcher {
 public:
  explicit signal_watcher(stop_signal& stop);
  ~signal_watcher();
  signal_watcher(const signal_watcher&) = delete;
  signal_watcher& operator=(const signal_watcher&) = delete;

 private:
  void watch();

  stop_signal& stop_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace evs::propagator
