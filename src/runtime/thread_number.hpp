#pragma once
// A small number per thread, for picking a per-thread slot (a token cache shard, a metrics
// slot) without a lookup. The consumer's I/O threads start together and are the first to ask,
// so with one slot per I/O thread each has its own; threads that share a slot stay correct.
#include <cstddef>

namespace evs::runtime {

// Each thread that asks gets the next number, once, and keeps it.
std::size_t this_thread_number() noexcept;

}  // namespace evs::runtime
