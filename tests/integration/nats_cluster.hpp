#pragma once
// The three-node cluster of scripts/with-nats, for tests that kill and restart its servers.
// Reads NATS_URL and EVS_TEST_NATS_* (see the script); throws std::runtime_error naming the
// variable when one is missing, so that a run without the script fails, never skips.
#include <sys/types.h>

#include <chrono>
#include <string>

namespace evs::test {

class nats_cluster {
 public:
  nats_cluster();

  // kill -9 of node n (1 to 3); returns once it is gone.
  void kill_node(int n) const;
  // Starts node n again with its configuration and store; returns once it answers /healthz.
  void start_node(int n) const;
  bool node_running(int n) const;
  // 1 to 3: the node leading `stream`, as node 1..3 report it; 0 when none does yet.
  int stream_leader(const std::string& stream) const;

 private:
  pid_t pid_of(int n) const;
  std::string server_;
};

// Restarts every node a failed test left stopped, so that the tests after it have a cluster.
class nats_restart_guard {
 public:
  explicit nats_restart_guard(const nats_cluster& cluster) : cluster_{cluster} {}
  ~nats_restart_guard();
  nats_restart_guard(const nats_restart_guard&) = delete;
  nats_restart_guard& operator=(const nats_restart_guard&) = delete;

 private:
  const nats_cluster& cluster_;
};

}  // namespace evs::test
