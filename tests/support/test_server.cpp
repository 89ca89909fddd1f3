#include "support/test_server.hpp"

#include "auth/token_verifier.hpp"
#include "server/http_server.hpp"
#include "storage/store_factory.hpp"
#include "support/tokens.hpp"

#include <thread>

namespace evs::test {

namespace {

consumer::api_options api_options_for(const test_server_options& o) {
  auto api = o.api;
  api.max_body_bytes = o.server.body_limit;
  api.io_threads = o.server.threads;
  api.backend = storage::backend_name(o.storage);
  return api;
}

}  // namespace

// Members in the order the consumer wires them (see consumer_app.cpp); destroyed in reverse.
struct test_server::parts {
  explicit parts(const test_server_options& o)
      : store{storage::open_event_store(o.storage)},
        writer{*store, o.writer},
        verifier{std::string{test_secret}, auth::jwt_algorithm::hs256},
        api{*store,   writer,
            verifier, o.clock != nullptr ? *o.clock : system_clock,
            random,   api_options_for(o)},
        server{o.server, api},
        thread{[this] {
          api.report_connections_of(server);
          server.run();
        }} {}

  ~parts() {
    server.stop();
    thread.join();
    writer.stop();
  }

  std::unique_ptr<storage::event_store> store;
  consumer::batch_writer writer;
  auth::token_verifier verifier;
  runtime::system_clock system_clock;
  runtime::system_random random;
  consumer::event_api api;
  server::http_server server;
  std::thread thread;
};

test_server::test_server(const test_server_options& options)
    : parts_{std::make_unique<parts>(options)} {}

test_server::~test_server() = default;

std::uint16_t test_server::port() const { return parts_->server.port(); }

storage::event_store& test_server::store() { return *parts_->store; }

}  // namespace evs::test
