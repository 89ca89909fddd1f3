#pragma once
#include "auth/jwt_algorithm.hpp"
#include "consumer/batch_writer.hpp"
#include "core/validation.hpp"
#include "runtime/log.hpp"
#include "runtime/settings.hpp"
#include "server/server_config.hpp"
#include "storage/storage_config.hpp"

#include <string>

namespace evs::consumer {

struct consumer_config {
  server::server_config server;
  storage::storage_config storage;
  core::validation_limits limits;
  batch_writer_config writer;
  std::string secret_key;
  auth::jwt_algorithm algorithm = auth::jwt_algorithm::hs256;
  std::chrono::seconds retry_after{1};  // what 503s ask clients to wait
  log::format log_format = log::format::text;
  log::level log_level = log::level::info;
};

// Declares every key of the consumer (see .env.example) on `s`.
void declare_consumer_settings(runtime::settings& s);

// Reads and validates them; throws runtime::config_error naming the key.
consumer_config read_consumer_config(const runtime::settings& s);

// DATABASE_URL / DB_HOSTNAME & co / DB_PATH -> which store, with what.
storage::storage_config read_storage_config(const runtime::settings& s);

}  // namespace evs::consumer
