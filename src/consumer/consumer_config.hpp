#pragma once
#include "auth/jwt_algorithm.hpp"
#include "auth/token_verifier.hpp"
#include "consumer/batch_writer.hpp"
#include "core/validation.hpp"
#include "jetstream/jetstream_config.hpp"
#include "runtime/log.hpp"
#include "runtime/setting_table.hpp"
#include "server/server_config.hpp"
#include "storage/database_keys.hpp"
#include "storage/storage_config.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace evs::consumer {

struct consumer_config {
  server::server_config server;
  storage::storage_config storage;
  storage::database_keys database;
  core::validation_limits limits;
  batch_writer_config writer;
  std::string secret_key;
  auth::jwt_algorithm algorithm{};
  auth::token_rules token_rules;        // JWT_AUDIENCE, JWT_ISSUER
  std::chrono::seconds retry_after{1};  // what 503s ask clients to wait
  bool serve_metrics = true;            // METRICS=public: GET /metrics without a token
  std::uint16_t admin_port = 0;         // ADMIN_PORT: /metrics on this port instead; 0: none
  log::format log_format{};
  log::level log_level{};
  bool ingest_jetstream = false;  // INGEST=jetstream: writes go to the stream of `nats`
  jetstream::jetstream_config nats;
};

// Every key of the consumer, one row each: the source of its flags, --help, defaults and
// its part of .env.example.
const runtime::setting_table<consumer_config>& consumer_settings();

// What the consumer runs with when nobody says anything (SECRET_KEY aside, which has none).
consumer_config default_consumer_config();

// Declares every key of the consumer on `s`.
void declare_consumer_settings(runtime::settings& s);

// Reads and validates them; throws runtime::config_error naming the key.
consumer_config read_consumer_config(const runtime::settings& s);

}  // namespace evs::consumer
