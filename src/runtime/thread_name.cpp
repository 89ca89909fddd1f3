#include "runtime/thread_name.hpp"

#include <pthread.h>

namespace evs::runtime {

void name_this_thread(const std::string& name) noexcept {
  constexpr std::size_t kept = 15;
  const std::string cut = name.substr(0, kept);
  pthread_setname_np(pthread_self(), cut.c_str());
}

}  // namespace evs::runtime
