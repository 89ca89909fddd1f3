#include "pg_control.hpp"

#include "support/backends.hpp"

#include <sys/types.h>
#include <sys/wait.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace evs::test {
namespace {

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

}  // namespace

pg_control::pg_control()
    : bin_{required_env("EVS_TEST_PG_BIN")},
      data_{required_env("EVS_TEST_PG_DATA")},
      log_{required_env("EVS_TEST_PG_LOG")} {
  // Empty when the tests run as an unprivileged user that owns the server.
  if (const char* user = std::getenv("EVS_TEST_PG_CTL_USER")) user_ = user;
}

pg_control::pg_control(pg_server_paths paths)
    : bin_{std::move(paths.bin)},
      data_{std::move(paths.data)},
      log_{std::move(paths.log)},
      user_{std::move(paths.user)} {}

int pg_control::pg_ctl(const std::string& arguments) const {
  std::string command;
  if (!user_.empty()) command = "runuser -u " + quoted(user_) + " -- ";
  command += quoted(bin_ + "/pg_ctl") + " -D " + quoted(data_) + " " + arguments;
  command += " >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void pg_control::stop() const {
  if (pg_ctl("-m fast -w -t 60 stop") != 0) throw std::runtime_error("pg_ctl stop failed");
}

void pg_control::start() const {
  if (pg_ctl("-l " + quoted(log_) + " -w -t 60 start") != 0)
    throw std::runtime_error("pg_ctl start failed; see " + log_);
}

bool pg_control::running() const { return pg_ctl("status") == 0; }

// The postmaster's pid is the first line of postmaster.pid; its children are the backends.
void pg_control::signal_all(int signal) const {
  std::ifstream pid_file{data_ + "/postmaster.pid"};
  pid_t postmaster = 0;
  if (!(pid_file >> postmaster) || postmaster <= 0)
    throw std::runtime_error("no postmaster.pid in " + data_);
  std::vector<pid_t> targets{postmaster};
  for (const auto& entry : std::filesystem::directory_iterator{"/proc"}) {
    const auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat{entry.path() / "stat"};
    std::string line;
    if (!std::getline(stat, line)) continue;
    std::istringstream fields{line.substr(line.rfind(')') + 2)};
    std::string state;
    pid_t parent = 0;
    if (fields >> state >> parent && parent == postmaster) targets.push_back(std::stoi(name));
  }
  for (const pid_t pid : targets) ::kill(pid, signal);
}

void pg_control::freeze() const { signal_all(SIGSTOP); }

void pg_control::kill_hard() const { signal_all(SIGKILL); }

void pg_control::promote() const {
  if (pg_ctl("-w -t 60 promote") != 0)
    throw std::runtime_error("pg_ctl promote failed; see " + log_);
}

void pg_control::stop_now() const noexcept {
  try {
    pg_ctl("-m immediate -w -t 30 stop");
  } catch (...) {
    // Clean-up only.
  }
}

void pg_control::thaw() const {
  try {
    signal_all(SIGCONT);
  } catch (const std::exception&) {
    // No server to thaw.
  }
}

pg_restart_guard::~pg_restart_guard() {
  try {
    if (!control_.running()) control_.start();
  } catch (const std::exception&) {
    // Nothing more to do: the following tests will report the missing server.
  }
}

}  // namespace evs::test
