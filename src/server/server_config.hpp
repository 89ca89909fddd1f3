#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace evs::server {

struct server_config {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;  // 0: any free port (tests)
  std::size_t threads = 0;    // 0: one I/O thread per core
  std::size_t header_limit = 16 * 1024;
  std::size_t body_limit = 1024 * 1024;
  std::size_t max_connections = 0;  // held at once, over all threads; 0: from RLIMIT_NOFILE
  std::chrono::milliseconds read_timeout{10'000};  // a request must arrive whole within this
  std::chrono::milliseconds idle_timeout{60'000};  // keep-alive connections idle this long close
  std::chrono::milliseconds shutdown_timeout{10'000};  // in-flight work gets this long on SIGTERM
  bool handle_signals = true;
  std::string thread_name = "evs-io";  // each I/O thread gets it and its number: evs-io-0, ...
};

}  // namespace evs::server
