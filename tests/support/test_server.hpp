#pragma once
// The real consumer, in-process: the production store, batch writer, API handler and HTTP
// server, listening on a free 127.0.0.1 port. Stopped and drained by the destructor.
#include "consumer/batch_writer.hpp"
#include "consumer/event_api.hpp"
#include "runtime/clock.hpp"
#include "server/server_config.hpp"
#include "storage/storage_config.hpp"

#include <cstdint>
#include <memory>

namespace evs::test {

struct test_server_options {
  storage::storage_config storage;
  consumer::api_options api;  // limits, retry_after; max_body_bytes follows server
  consumer::batch_writer_config writer;
  server::server_config server = defaults();
  const runtime::clock* clock = nullptr;  // what the consumer takes for "now"; null: the system's

  static server::server_config defaults() {
    server::server_config s;
    s.port = 0;
    s.threads = 2;
    s.handle_signals = false;
    s.shutdown_timeout = std::chrono::seconds{5};
    return s;
  }
};

class test_server {
 public:
  explicit test_server(const test_server_options& options);
  ~test_server();
  test_server(const test_server&) = delete;
  test_server& operator=(const test_server&) = delete;

  std::uint16_t port() const;
  storage::event_store& store();

 private:
  struct parts;
  std::unique_ptr<parts> parts_;
};

}  // namespace evs::test
