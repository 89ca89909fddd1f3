// The propagator's EVENTS_FILE (a JSON array or NDJSON of templates): bad files are refused
// with an exception, good ones give templates whose payload is JSON.
#include "propagator/event_source.hpp"

#include <boost/json/parse.hpp>

#include <cstdint>
#include <cstdlib>
#include <exception>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text{reinterpret_cast<const char*>(data), size};
  try {
    for (const auto& t : evs::propagator::parse_templates(text)) {
      boost::system::error_code ec;
      (void)boost::json::parse(t.payload_json, ec);
      if (ec) std::abort();
    }
  } catch (const std::exception&) {
    // A refused file: what the program reports at start-up.
  }
  return 0;
}
