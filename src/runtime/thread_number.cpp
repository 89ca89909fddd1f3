#include "runtime/thread_number.hpp"

#include <atomic>

namespace evs::runtime {

std::size_t this_thread_number() noexcept {
  static std::atomic<std::size_t> next{0};
  thread_local const std::size_t number = next.fetch_add(1, std::memory_order_relaxed);
  return number;
}

}  // namespace evs::runtime
