#include "loader/stop_on_signal.hpp"

#include "runtime/log.hpp"

#include <pthread.h>

namespace evs::loader {
namespace {

// SIGUSR1 only wakes the thread when the loader ends without a signal.
sigset_t watched() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR1);
  return set;
}

}  // namespace

stop_on_signal::stop_on_signal(std::stop_source& stop) {
  std::signal(SIGPIPE, SIG_IGN);
  const sigset_t set = watched();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  thread_ = std::thread{[&stop] {
    const sigset_t signals = watched();
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig == SIGUSR1) return;
    log::info("signal received: finishing the batch in hand, then stopping",
              {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
    stop.request_stop();
  }};
}

stop_on_signal::~stop_on_signal() {
  pthread_kill(thread_.native_handle(), SIGUSR1);
  thread_.join();
}

}  // namespace evs::loader
