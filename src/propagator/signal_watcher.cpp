#include "propagator/signal_watcher.hpp"

#include "runtime/log.hpp"

#include <csignal>
#include <ctime>

namespace evs::propagator {
namespace {

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

signal_watcher::signal_watcher(stop_signal& stop) : stop_{stop} {
  // A peer closing the connection must be an error code, not the end of the process.
  std::signal(SIGPIPE, SIG_IGN);
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  thread_ = std::thread{[this] { watch(); }};
}

signal_watcher::~signal_watcher() {
  done_ = true;
  thread_.join();
}

void signal_watcher::watch() {
  const sigset_t set = stop_signals();
  // A short timeout instead of a wake-up channel: the destructor waits at most this long.
  const timespec poll{0, 100'000'000};
  while (!done_) {
    const int sig = sigtimedwait(&set, nullptr, &poll);
    if (sig != SIGINT && sig != SIGTERM) continue;
    const bool first = !stop_.draining();
    stop_.request();
    log::info(first ? "signal received: generation stopped, delivering pending events"
                    : "second signal: stopping now, pending events stay in the spool",
              {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
  }
}

}  // namespace evs::propagator
