#pragma once
#include "storage/event_store.hpp"
#include "storage/storage_config.hpp"

#include <memory>

namespace evs::storage {

// Opens (and creates or migrates) the configured store. Throws std::runtime_error with a
// message naming the setting when the store cannot be opened.
std::unique_ptr<event_store> open_event_store(const storage_config& config);

}  // namespace evs::storage
