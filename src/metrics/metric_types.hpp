#pragma once
// The building blocks of the programs' metrics: counters bumped with one relaxed add,
// histograms with their bounds in their type, and per-thread slots of them that a scrape sums.
// Nothing here locks or allocates once constructed.
#include "runtime/thread_number.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace evs::metrics {

// Relaxed: a scrape may see an increment a moment late, never torn or lost.
class counter {
 public:
  void add(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// A value of the moment, set by the one thread that knows it and read by a scrape.
class gauge {
 public:
  void set(std::uint64_t value) noexcept { value_.store(value, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// Upper bounds (inclusive, as Prometheus' `le`) in whole units: nanoseconds, events, requests.
// The last bucket, +Inf, is implied.
template <std::size_t N>
using bucket_bounds = std::array<std::uint64_t, N>;

// Durations in nanoseconds, 100 us to 10 s: requests and commits of the consumer, requests
// of the propagator.
struct duration_buckets {
  static constexpr bucket_bounds<16> bounds = {
      100'000,       250'000,       500'000,       1'000'000,     2'500'000,   5'000'000,
      10'000'000,    25'000'000,    50'000'000,    100'000'000,   250'000'000, 500'000'000,
      1'000'000'000, 2'500'000'000, 5'000'000'000, 10'000'000'000};
};
inline constexpr double nanoseconds_per_second = 1e9;

// Counts per bucket (not cumulative: the renderer adds them up) and the sum of what was seen.
// Buckets names the bounds: a type with a `static constexpr bucket_bounds<N> bounds`.
template <class Buckets>
class histogram {
 public:
  static constexpr std::span<const std::uint64_t> bounds() { return Buckets::bounds; }
  static constexpr std::size_t buckets = Buckets::bounds.size() + 1;

  void observe(std::uint64_t value) noexcept {
    const auto& limits = Buckets::bounds;
    const auto at = std::lower_bound(limits.begin(), limits.end(), value);
    counts_[static_cast<std::size_t>(at - limits.begin())].add();
    sum_.add(value);
  }
  std::uint64_t count_in(std::size_t bucket) const noexcept { return counts_[bucket].value(); }
  std::uint64_t sum() const noexcept { return sum_.value(); }

 private:
  std::array<counter, buckets> counts_;
  counter sum_;
};

// One Slot per thread that writes, each on cache lines of its own (Slot is alignas(64)), so
// threads never write to the same line; readers add the slots up.
template <class Slot>
class per_thread {
 public:
  explicit per_thread(std::size_t slots)
      : size_{std::max<std::size_t>(1, slots)}, slots_{std::make_unique<Slot[]>(size_)} {}

  Slot& local() noexcept { return slots_[runtime::this_thread_number() % size_]; }
  std::span<const Slot> all() const noexcept { return {slots_.get(), size_}; }

  // The sum over the slots of what `read` takes from each.
  template <class Read>
  std::uint64_t sum(Read read) const {
    std::uint64_t total = 0;
    for (const auto& slot : all()) total += read(slot);
    return total;
  }

 private:
  std::size_t size_;
  std::unique_ptr<Slot[]> slots_;
};

}  // namespace evs::metrics
