#pragma once
// The consumer's HTTP API: routing, token and scope checks, and the handlers of DESIGN.md.
#include "auth/token_cache.hpp"
#include "consumer/batch_writer.hpp"
#include "consumer/responses.hpp"
#include "consumer/router.hpp"
#include "core/validation.hpp"
#include "runtime/clock.hpp"
#include "runtime/random.hpp"
#include "runtime/rate_limited_log.hpp"
#include "server/request_handler.hpp"
#include "storage/event_store.hpp"

#include <boost/asio/thread_pool.hpp>

#include <chrono>

namespace evs::consumer {

struct api_options {
  core::validation_limits limits;
  std::size_t max_body_bytes = 1024 * 1024;
  std::chrono::seconds retry_after{1};
  auth::token_cache_limits token_cache;  // give it one shard per I/O thread
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
  boost::asio::thread_pool blocking_pool_;
};

}  // namespace evs::consumer
