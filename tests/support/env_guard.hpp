#pragma once
// Unsets environment variables for a scope and puts back what was there before, so that code
// reading the environment (settings, .env loading) can be exercised without leaking state.
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace evs::test {

class env_guard {
 public:
  explicit env_guard(std::vector<std::string> keys) : keys_{std::move(keys)} {
    for (const auto& key : keys_) {
      const char* value = std::getenv(key.c_str());
      saved_.push_back(value != nullptr ? std::optional<std::string>{value} : std::nullopt);
      ::unsetenv(key.c_str());
    }
  }
  ~env_guard() {
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      if (saved_[i])
        ::setenv(keys_[i].c_str(), saved_[i]->c_str(), 1);
      else
        ::unsetenv(keys_[i].c_str());
    }
  }
  env_guard(const env_guard&) = delete;
  env_guard& operator=(const env_guard&) = delete;

 private:
  std::vector<std::string> keys_;
  std::vector<std::optional<std::string>> saved_;
};

}  // namespace evs::test
