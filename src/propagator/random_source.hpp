#pragma once
// Randomness is injected (jitter, pick order) so tests choose the numbers.
#include <cstdint>
#include <random>

namespace evs::propagator {

class random_source {
 public:
  virtual ~random_source() = default;
  // Uniform in [0, 1).
  virtual double uniform() = 0;
};

class std_random_source final : public random_source {
 public:
  explicit std_random_source(std::uint64_t seed) : rng_{seed} {}
  double uniform() override { return std::uniform_real_distribution<double>{0.0, 1.0}(rng_); }

 private:
  std::mt19937_64 rng_;
};

}  // namespace evs::propagator
