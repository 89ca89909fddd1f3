#include "propagator/stop_signal.hpp"

namespace evs::propagator {

void stop_signal::request() {
  {
    const std::lock_guard lock{mutex_};
    if (level_.load() < 2) level_.fetch_add(1);
  }
  changed_.notify_all();
}

void stop_signal::wait_until(std::chrono::steady_clock::time_point deadline, int seen) {
  std::unique_lock lock{mutex_};
  changed_.wait_until(lock, deadline, [&] { return level_.load() != seen; });
}

}  // namespace evs::propagator
