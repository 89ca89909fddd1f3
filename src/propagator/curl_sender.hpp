#pragma once
// The real sender: one libcurl easy handle, reused so the connection stays alive between
// requests; http and https.
#include "propagator/sender.hpp"

#include <curl/curl.h>

#include <functional>
#include <string>

namespace evs::propagator {

class curl_sender final : public sender {
 public:
  // `should_abort` is polled during a transfer: true ends it at once (a second SIGTERM).
  // `ca_file`, when not empty, replaces the system's CA store for verifying https servers.
  curl_sender(std::string url, const std::string& token, std::function<bool()> should_abort = {},
              const std::string& ca_file = {});
  ~curl_sender() override;
  curl_sender(const curl_sender&) = delete;
  curl_sender& operator=(const curl_sender&) = delete;

  send_result send(std::string_view json_body, std::chrono::milliseconds timeout) override;

 private:
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);
  static int on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t);

  std::string url_;
  std::function<bool()> should_abort_;
  CURL* handle_ = nullptr;
  curl_slist* headers_ = nullptr;
  send_result current_;
};

}  // namespace evs::propagator
