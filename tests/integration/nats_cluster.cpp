#include "integration/nats_cluster.hpp"

#include "support/http_client.hpp"
#include "support/process.hpp"
#include "support/wait.hpp"

#include <boost/json.hpp>

#include <csignal>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace evs::test {
namespace {

std::string required(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (!value || !*value)
    throw std::runtime_error(name + " is not set: run the tests under scripts/with-nats");
  return value;
}

std::string var(const char* base, int n) { return required(std::string{base} + std::to_string(n)); }

std::uint16_t monitor_port(int n) {
  return static_cast<std::uint16_t>(std::stoi(var("EVS_TEST_NATS_MONITOR_", n)));
}

bool healthy(int n) {
  try {
    return http_once(monitor_port(n), "GET", "/healthz").status == 200;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

nats_cluster::nats_cluster() : server_{required("EVS_TEST_NATS_SERVER")} {
  required("NATS_URL");
  for (int n = 1; n <= 3; ++n) var("EVS_TEST_NATS_CONF_", n);
}

pid_t nats_cluster::pid_of(int n) const {
  const auto text = read_text_file(var("EVS_TEST_NATS_PID_FILE_", n));
  return text.empty() ? 0 : static_cast<pid_t>(std::stol(text));
}

bool nats_cluster::node_running(int n) const {
  const auto pid = pid_of(n);
  return pid > 0 && ::kill(pid, 0) == 0 && healthy(n);
}

void nats_cluster::kill_node(int n) const {
  const auto pid = pid_of(n);
  if (pid <= 0 || ::kill(pid, SIGKILL) != 0) return;
  // Not our child when a test restarted it (the shell reaps it): wait until it is gone.
  eventually([pid] { return ::kill(pid, 0) != 0; }, std::chrono::seconds{10});
}

void nats_cluster::start_node(int n) const {
  // Detached through the shell, so that it outlives the test as the script's nodes do;
  // scripts/with-nats stops it through its pid file.
  const std::string command =
      "'" + server_ + "' -c '" + var("EVS_TEST_NATS_CONF_", n) + "' >/dev/null 2>&1 &";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("cannot start " + command);
  if (!eventually([n] { return healthy(n); }, std::chrono::seconds{30}))
    throw std::runtime_error("nats node " + std::to_string(n) + " did not come back");
}

int nats_cluster::stream_leader(const std::string& stream) const {
  for (int n = 1; n <= 3; ++n) {
    try {
      const auto reply = http_once(monitor_port(n), "GET", "/jsz?streams=true&accounts=true");
      if (reply.status != 200) continue;
      const auto doc = boost::json::parse(reply.body);
      const auto* accounts = doc.as_object().if_contains("account_details");
      if (!accounts) continue;
      for (const auto& account : accounts->as_array()) {
        const auto* streams = account.as_object().if_contains("stream_detail");
        if (!streams) continue;
        for (const auto& s : streams->as_array()) {
          if (s.at("name").as_string() != stream) continue;
          const auto* cluster = s.as_object().if_contains("cluster");
          const auto* leader = cluster ? cluster->as_object().if_contains("leader") : nullptr;
          if (!leader || !leader->is_string()) continue;
          const std::string name{leader->as_string()};
          if (name.starts_with("evs-n")) return std::stoi(name.substr(5));
        }
      }
    } catch (const std::exception&) {
      // A node that is down or busy: ask the next.
    }
  }
  return 0;
}

nats_restart_guard::~nats_restart_guard() {
  for (int n = 1; n <= 3; ++n) {
    try {
      if (!cluster_.node_running(n)) cluster_.start_node(n);
    } catch (const std::exception&) {
      // Nothing more to do in a destructor; the next test reports the cluster's state.
    }
  }
}

}  // namespace evs::test
