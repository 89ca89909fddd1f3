#pragma once
// Time is injected so that tests decide what "now" is.
#include <chrono>
#include <cstdint>

namespace evs::core {

class time_source {
 public:
  virtual ~time_source() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;

  std::int64_t now_us() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(now().time_since_epoch()).count();
  }
};

class system_time_source final : public time_source {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace evs::core
