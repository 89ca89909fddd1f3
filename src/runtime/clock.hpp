#pragma once
// The one clock of every program, injected so that tests decide what "now" is. Wall time is
// what people read (received_at, occurred_at, the time part of UUIDv7 ids, token lifetimes);
// steady time measures intervals and deadlines and never jumps.
#include <chrono>
#include <cstdint>

namespace evs::runtime {

class clock {
 public:
  using wall_time = std::chrono::system_clock::time_point;
  using steady_time = std::chrono::steady_clock::time_point;

  virtual ~clock() = default;
  virtual wall_time wall_now() const = 0;
  virtual steady_time steady_now() const = 0;

  std::int64_t wall_now_us() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(wall_now().time_since_epoch())
        .count();
  }
  std::int64_t wall_now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(wall_now().time_since_epoch())
        .count();
  }
};

class system_clock final : public clock {
 public:
  wall_time wall_now() const override { return std::chrono::system_clock::now(); }
  steady_time steady_now() const override { return std::chrono::steady_clock::now(); }
};

}  // namespace evs::runtime
