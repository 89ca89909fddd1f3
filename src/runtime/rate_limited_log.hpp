#pragma once
// At most one log line per interval for something a client can make happen thousands of
// times a second (a flood must not become a log flood): the first at once, then one line per
// interval carrying how many occurrences it stands for. Safe from any thread, and lock-free,
// so that counting a refused request costs an atomic add.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace evs::runtime {

class rate_limited_log {
 public:
  explicit rate_limited_log(std::chrono::steady_clock::duration interval) : interval_{interval} {}

  // Counts one occurrence. When a line is due, calls `write(count)` with the number of
  // occurrences since the last line (this one included); otherwise does nothing else.
  template <class Write>
  void note(Write&& write) {
    count_.fetch_add(1, std::memory_order_relaxed);
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    auto due = next_due_.load(std::memory_order_relaxed);
    if (now < due) return;
    // One thread wins the line; the others' occurrences go into the next one.
    if (!next_due_.compare_exchange_strong(due, now + interval_.count(), std::memory_order_relaxed))
      return;
    write(count_.exchange(0, std::memory_order_relaxed));
  }

 private:
  std::chrono::steady_clock::duration interval_;
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::chrono::steady_clock::rep> next_due_{0};
};

}  // namespace evs::runtime
