#pragma once
// Polling with a deadline: tests wait for a condition, never for a fixed time.
#include <chrono>
#include <thread>

namespace evs::test {

template <class Predicate>
bool eventually(Predicate&& condition,
                std::chrono::milliseconds deadline = std::chrono::seconds{20}) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
}

}  // namespace evs::test
