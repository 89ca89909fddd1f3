// Retry-After values from an endpoint: seconds or an HTTP date, never a negative wait.
#include "propagator/delivery_status.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view value{reinterpret_cast<const char*>(data), size};
  const auto wait = evs::propagator::parse_retry_after(value, 1'700'000'000);
  if (wait && wait->count() < 0) std::abort();
  return 0;
}
