#include "consumer/consumer_app.hpp"

#include "auth/token_verifier.hpp"
#include "consumer/admin_api.hpp"
#include "consumer/event_api.hpp"
#include "jetstream/ingest_store.hpp"
#include "runtime/log.hpp"
#include "server/http_server.hpp"
#include "storage/store_factory.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <future>
#include <optional>
#include <thread>

namespace evs::consumer {
namespace {

using namespace std::chrono_literals;

// Runs `finish` on a thread of its own until `deadline`. A store that hangs (a lock held
// elsewhere, a database gone silent) must not hold the process: past the deadline it exits
// at once, with status 1. Nothing is lost by that: what was not committed by then was never
// acknowledged.
void finish_by(std::chrono::steady_clock::time_point deadline, std::function<void()> finish) {
  std::packaged_task<void()> task{std::move(finish)};
  auto done = task.get_future();
  std::thread worker{std::move(task)};
  if (done.wait_until(deadline) == std::future_status::ready) {
    worker.join();
    done.get();
    return;
  }
  log::error("shutdown timeout reached with storage calls unfinished; exiting without them");
  std::_Exit(1);
}

// The ADMIN_PORT listener: the main one's limits and timeouts, one thread (a scrape every few
// seconds), and no signals of its own (the main listener's stop ends it).
server::server_config admin_listener(const consumer_config& config) {
  auto admin = config.server;
  admin.port = config.admin_port;
  admin.threads = 1;
  admin.handle_signals = false;
  admin.thread_name = "evs-admin";
  return admin;
}

}  // namespace

int run_consumer(const consumer_config& config,
                 const std::function<void(std::uint16_t)>& on_listening) {
  std::unique_ptr<storage::event_store> store = storage::open_event_store(config.storage);
  // JetStream mode: the same batch writer and API, with inserts going to the stream.
  if (config.ingest_jetstream)
    store = std::make_unique<jetstream::ingest_store>(std::move(store), config.nats,
                                                      config.writer.writers);
  batch_writer writer{*store, config.writer};
  const auth::token_verifier verifier{config.secret_key, config.algorithm, config.token_rules};
  const runtime::system_clock clock;
  runtime::system_random random;  // shared by the I/O threads: one generator per thread
  api_options options;
  options.limits = config.limits;
  options.max_body_bytes = config.server.body_limit;
  options.retry_after = config.retry_after;
  options.token_cache.shards = config.server.threads;  // both: 0 is one per core
  options.io_threads = config.server.threads;
  // With an admin listener, /metrics, /dashboard, /openapi.json and /docs are served there and
  // not on the main port.
  options.serve_metrics = config.serve_metrics && config.admin_port == 0;
  options.serve_docs = config.admin_port == 0;
  options.backend = storage::backend_name(config.storage);
  event_api api{*store, writer, verifier, clock, random, options};

  server::http_server server{config.server, api};
  api.report_connections_of(server);
  admin_api admin_handler{api, config.serve_metrics};
  std::optional<server::http_server> admin;
  if (config.admin_port != 0) admin.emplace(admin_listener(config), admin_handler);
  log::info("event-consumer listening",
            {{"address", "http://" + config.server.host + ":" + std::to_string(server.port())},
             {"storage", std::holds_alternative<storage::sqlite_config>(config.storage)
                             ? "sqlite:" + std::get<storage::sqlite_config>(config.storage).path
                             : std::string{storage::backend_name(config.storage)}},
             {"ingest", config.ingest_jetstream ? "jetstream:" + config.nats.stream
                                                : std::string{"database"}},
             {"max_connections", std::to_string(server.max_connections())}});
  if (admin)
    log::info(
        "admin listener for /metrics, /dashboard, /openapi.json and /docs",
        {{"admin_address", "http://" + config.server.host + ":" + std::to_string(admin->port())}});
  if (config.serve_metrics) {
    const auto port = admin ? admin->port() : server.port();
    log::info("live dashboard", {{"url", "http://" + config.server.host + ":" +
                                             std::to_string(port) + "/dashboard"}});
  }
  if (on_listening) on_listening(server.port());
  std::thread admin_thread;
  if (admin) admin_thread = std::thread{[&admin] { admin->run(); }};
  server.run();
  if (admin) {
    admin->stop();
    admin_thread.join();
  }
  finish_by(std::max(server.shutdown_deadline(), std::chrono::steady_clock::now() + 1s), [&] {
    // Storage calls cut off by the shutdown timeout finish before anything they use goes away.
    api.drain();
    // The server has drained; commit whatever is still queued before the store closes.
    writer.stop();
  });
  log::info("event-consumer stopped");
  return 0;
}

}  // namespace evs::consumer
