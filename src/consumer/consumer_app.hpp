#pragma once
#include "consumer/consumer_config.hpp"

#include <cstdint>
#include <functional>

namespace evs::consumer {

// Opens the store, starts the batch writer and the HTTP server, serves until SIGINT/SIGTERM,
// drains, and returns the exit code. `on_listening` is told the bound port (tests use port 0).
int run_consumer(const consumer_config& config,
                 const std::function<void(std::uint16_t)>& on_listening = {});

}  // namespace evs::consumer
