#pragma once
// Randomness behind one small interface (backoff jitter, pick order, the random bits of ids),
// injected so that tests choose the numbers.
#include <cstdint>
#include <random>

namespace evs::runtime {

class random_source {
 public:
  virtual ~random_source() = default;
  // 64 uniformly distributed bits.
  virtual std::uint64_t bits() = 0;

  // Uniform in [0, 1): the top 53 bits, as many as a double holds. Virtual so that a test can
  // name the exact number it wants.
  virtual double uniform() { return static_cast<double>(bits() >> 11) * 0x1.0p-53; }
};

// A fast generator for one thread; seed it with random_seed() outside tests.
class seeded_random final : public random_source {
 public:
  explicit seeded_random(std::uint64_t seed) : rng_{seed} {}
  std::uint64_t bits() override { return rng_(); }

 private:
  std::mt19937_64 rng_;
};

// Shared by many threads (the consumer's I/O threads): each thread draws from its own
// generator, seeded from the operating system the first time it asks.
class system_random final : public random_source {
 public:
  std::uint64_t bits() override;
};

// 64 bits from std::random_device, to seed a seeded_random.
std::uint64_t random_seed();

}  // namespace evs::runtime
