#pragma once
// The real sender: one libcurl easy handle, reused so the connection stays alive between
// requests; http and https. libcurl stays inside curl_sender.cpp: users of this header see
// no libcurl type and need not link or include it.
#include "propagator/sender.hpp"

#include <functional>
#include <memory>
#include <string>

namespace evs::propagator {

class curl_sender final : public sender {
 public:
  // `should_abort` is polled during a transfer: true ends it at once (a second SIGTERM).
  // `ca_file`, when not empty, replaces the system's CA store for verifying https servers.
  // With `gzip`, bodies go compressed, with Content-Encoding: gzip.
  curl_sender(std::string url, const std::string& token, std::function<bool()> should_abort = {},
              const std::string& ca_file = {}, bool gzip = false);
  ~curl_sender() override;
  curl_sender(const curl_sender&) = delete;
  curl_sender& operator=(const curl_sender&) = delete;

  send_result send(std::string_view json_body, std::chrono::milliseconds timeout) override;

 private:
  struct transfer;  // the libcurl handle, its headers and the answer being read
  std::unique_ptr<transfer> transfer_;
};

}  // namespace evs::propagator
