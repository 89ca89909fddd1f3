#pragma once
// Everything the propagator can be told, with the defaults a user gets when they say nothing.
// Filled once from flags, environment and `.env` (see cli.hpp), then passed by const&.
#include "runtime/log.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace evs::propagator {

enum class pick_order { random, sequential };

struct config {
  std::string api_url = "http://localhost:8000/api/event";
  std::string api_token;
  std::string api_ca_file;        // PEM bundle trusted for https; empty: the system's CA store
  double interval_seconds = 5.0;  // 0: generate as fast as the endpoint takes events
  std::string events_file;        // empty: the bundled sample set
  std::size_t batch_size = 1;     // events generated per tick
  pick_order order = pick_order::random;
  std::string spool_path = "./data/propagator-spool.db";
  std::size_t spool_max_events = 1'000'000;

  // One request carries at most this many events and bytes: the consumer's MAX_BATCH and
  // MAX_BODY_BYTES defaults, so one `.env` can configure both programs.
  std::size_t max_batch = 1000;
  std::size_t max_body_bytes = 1024 * 1024;

  double request_timeout_seconds = 10.0;
  double backoff_base_seconds = 0.5;
  double backoff_max_seconds = 30.0;
  double max_retry_after_seconds = 300.0;  // a Retry-After beyond this is clamped
  double shutdown_timeout_seconds = 10.0;  // how long SIGTERM waits for pending events
  double status_interval_seconds = 5.0;

  std::uint64_t count = 0;  // stop after this many events delivered; 0: run until stopped

  log::format log_format = log::format::text;
  log::level log_level = log::level::info;
};

}  // namespace evs::propagator
