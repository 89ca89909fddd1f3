#pragma once
// How far a shutdown has gone: the first SIGTERM/SIGINT asks to drain, a second to stop now.
// Sleepers wake as soon as the level rises.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace evs::propagator {

class stop_signal {
 public:
  void request();
  int level() const noexcept { return level_.load(); }
  bool draining() const noexcept { return level() >= 1; }
  bool aborted() const noexcept { return level() >= 2; }

  // Returns at `deadline`, or earlier when the level is no longer `seen`.
  void wait_until(std::chrono::steady_clock::time_point deadline, int seen);

 private:
  std::atomic<int> level_{0};
  std::mutex mutex_;
  std::condition_variable changed_;
};

}  // namespace evs::propagator
