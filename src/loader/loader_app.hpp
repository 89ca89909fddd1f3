#pragma once
#include "loader/loader_config.hpp"

#include <stop_token>

namespace evs::loader {

// Opens the store, connects to the cluster, drains until `stop`; returns the exit code.
// Throws std::runtime_error naming the setting when the store or the stream cannot be reached
// at start.
int run_loader(const loader_config& config, std::stop_token stop);

}  // namespace evs::loader
