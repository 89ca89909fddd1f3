#pragma once
// Everything the propagator can be told. The defaults a user gets when they say nothing are
// the rows of its settings table (cli.cpp): default_config() applies them. Filled once from
// flags, environment and `.env`, then passed by const&.
#include "runtime/log.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace evs::propagator {

enum class pick_order { random, sequential };

struct config {
  std::string api_url;
  std::string api_token;
  std::string api_ca_file;    // PEM bundle trusted for https; empty: the system's CA store
  bool compress = false;      // send bodies gzip-compressed (Content-Encoding: gzip)
  double interval_seconds{};  // 0: generate as fast as the endpoint takes events
  std::string events_file;    // empty: the bundled sample set
  std::size_t batch_size{};   // events generated per tick
  pick_order order{};
  std::string spool_path;
  std::size_t spool_max_events{};

  // One request carries at most this many events and bytes: the consumer's MAX_BATCH and
  // MAX_BODY_BYTES defaults, so one `.env` can configure both programs.
  std::size_t max_batch{};
  std::size_t max_body_bytes{};

  double request_timeout_seconds{};
  double backoff_base_seconds{};
  double backoff_max_seconds{};
  double max_retry_after_seconds{};   // a Retry-After beyond this is clamped
  double shutdown_timeout_seconds{};  // how long SIGTERM waits for pending events
  double status_interval_seconds{};

  // GET /metrics on this port (0: off) and address.
  std::uint16_t metrics_port = 0;
  std::string metrics_host;

  std::uint64_t count = 0;  // stop after this many events delivered; 0: run until stopped

  log::format log_format{};
  log::level log_level{};
};

// The table's defaults (API_TOKEN, which has none, stays empty).
config default_config();

}  // namespace evs::propagator
