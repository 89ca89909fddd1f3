#pragma once
// Sends one request body to the endpoint. An interface so the run loop can be tested with
// a scripted sender, and the real one (curl_sender) against a real server.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace evs::propagator {

struct send_result {
  long http_status = 0;                    // 0: no response (refused, reset, timed out, aborted)
  std::string body;                        // the response body, cut at a few KiB
  std::optional<std::string> retry_after;  // the Retry-After header, as sent
  std::string error;                       // what went wrong when there was no response
};

class sender {
 public:
  virtual ~sender() = default;
  virtual send_result send(std::string_view json_body, std::chrono::milliseconds timeout) = 0;
};

}  // namespace evs::propagator
