#pragma once
// The consumer's HTTP API: routing, token and scope checks, and the handlers of DESIGN.md.
#include "auth/token_cache.hpp"
#include "consumer/batch_writer.hpp"
#include "consumer/metrics.hpp"
#include "consumer/responses.hpp"
#include "consumer/router.hpp"
#include "core/validation.hpp"
#include "runtime/clock.hpp"
#include "runtime/random.hpp"
#include "runtime/rate_limited_log.hpp"
#include "server/http_server.hpp"
#include "server/request_handler.hpp"
#include "storage/event_store.hpp"

#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <string_view>

namespace evs::consumer {

struct api_options {
  core::validation_limits limits;
  std::size_t max_body_bytes = 1024 * 1024;
  std::chrono::seconds retry_after{1};
  auth::token_cache_limits token_cache;  // give it one shard per I/O thread
  std::size_t io_threads = 0;            // metrics slots; 0: one per core, as the server's
  bool serve_metrics = true;             // GET /metrics and /dashboard here, without a token
  bool serve_docs = true;                // GET /openapi.json and /docs on this listener
  std::string_view backend = "sqlite";   // for evs_build_info: sqlite or postgresql
};

class event_api final : public server::request_handler {
 public:
  event_api(storage::event_store& store, batch_writer& writer, const auth::token_verifier& verifier,
            const runtime::clock& clock, runtime::random_source& random,
            const api_options& options);
  ~event_api() override;

  server::admission admit(const server::http_request& head) override;
  boost::asio::awaitable<server::http_response> respond(
      const server::matched_route& route, const server::http_request& request) override;
  server::http_response on_protocol_error(server::protocol_error error,
                                          std::string_view detail) override;
  void on_answered(const server::matched_route* route, unsigned status,
                   std::size_t request_body_bytes,
                   std::chrono::nanoseconds elapsed) noexcept override;

  // /metrics shows the server's open connections and MAX_CONNECTIONS from then on; `server`
  // must outlive the requests it serves (it does: it serves them).
  void report_connections_of(const server::http_server& server) { server_ = &server; }

  // GET /metrics: every metric, in the Prometheus text format. Also served by admin_api.
  boost::asio::awaitable<server::http_response> scrape();

  // Waits for storage calls still running off the I/O threads; call once the server is done.
  void drain();

 private:
  boost::asio::awaitable<server::http_response> ingest(const server::http_request& request);
  boost::asio::awaitable<server::http_response> create(const server::http_request& request);
  boost::asio::awaitable<server::http_response> list(const server::http_request& request);
  boost::asio::awaitable<server::http_response> get(const std::string& id);
  boost::asio::awaitable<server::http_response> update(const std::string& id,
                                                       const server::http_request& request,
                                                       bool replace);
  boost::asio::awaitable<server::http_response> remove(const std::string& id);
  boost::asio::awaitable<server::http_response> ready();

  // Answers for a failed store call: a failed commit (the batch writer counted it), or any other
  // store call, counted here. Both keep the readiness that /metrics shows up to date.
  server::http_response commit_failed(const boost::system::error_code& ec);
  server::http_response store_failed(const boost::system::error_code& ec);
  void note_storage_ready(bool ready) noexcept;

  void log_refusal(const server::http_request& head, unsigned status, std::string_view reason);

  // Runs a blocking storage call off the I/O threads.
  template <class Function>
  auto offload(Function f) -> boost::asio::awaitable<decltype(f())>;

  storage::event_store& store_;
  batch_writer& writer_;
  auth::token_cache tokens_;
  const runtime::clock& clock_;  // received_at, token expiry, the time part of assigned ids
  request_ids ids_;              // assigned event ids and the request ids of 500s
  api_options options_;
  runtime::rate_limited_log refusals_{std::chrono::seconds{1}};  // 401s and 403s in the log
  per_thread<request_counters> counters_;
  const server::http_server* server_ = nullptr;
  // The last answer of the readiness check, and when the check last ran (steady, in ns).
  std::atomic<bool> storage_ready_{true};
  std::atomic<std::int64_t> ready_checked_at_ns_{0};
  boost::asio::thread_pool blocking_pool_;
};

}  // namespace evs::consumer
