#pragma once
// File descriptors are what every connection costs; the consumer sizes its connection cap
// from the process's limit on them.
#include <cstddef>

namespace evs::server {

// Raises the soft RLIMIT_NOFILE to the hard limit and returns the soft limit then in force.
std::size_t raise_open_file_limit();

// The default cap on connections for `open_file_limit` descriptors: what is left once the
// store, the logs, the listeners and the event loop have theirs (a quarter, at most 64).
std::size_t default_max_connections(std::size_t open_file_limit);

}  // namespace evs::server
