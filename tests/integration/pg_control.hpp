#pragma once
// Stopping, starting, killing and promoting a PostgreSQL server, for tests of outages and
// failover: the throwaway server of scripts/with-postgres (EVS_TEST_PG_BIN, EVS_TEST_PG_DATA,
// EVS_TEST_PG_LOG, EVS_TEST_PG_CTL_USER) or one a test started itself.
#include <string>

namespace evs::test {

// Where a server lives: its binaries, data folder, log, and the user pg_ctl runs as (empty:
// the current user).
struct pg_server_paths {
  std::string bin;
  std::string data;
  std::string log;
  std::string user;
};

class pg_control {
 public:
  // The server of scripts/with-postgres. Throws std::runtime_error naming the variable when one
  // is missing.
  pg_control();
  // Another server, such as one a test started itself.
  explicit pg_control(pg_server_paths paths);

  // `pg_ctl stop -m fast`: sessions are terminated, like an administrator's restart.
  void stop() const;
  void start() const;
  bool running() const;

  // SIGSTOP / SIGCONT to the postmaster and every backend: a server that keeps its
  // connections open and answers nothing, as a network partition looks to a client.
  void freeze() const;
  void thaw() const;

  // SIGKILL to the postmaster and every backend at once: the machine died.
  void kill_hard() const;
  // `pg_ctl promote`: a standby becomes a primary; returns once it accepts writes.
  void promote() const;
  // `pg_ctl stop -m immediate`, errors ignored (for clean-up).
  void stop_now() const noexcept;

 private:
  int pg_ctl(const std::string& arguments) const;
  void signal_all(int signal) const;

  std::string bin_;
  std::string data_;
  std::string log_;
  std::string user_;
};

// Thaws the server on destruction, so that a failed test cannot leave it stopped.
class pg_thaw_guard {
 public:
  explicit pg_thaw_guard(const pg_control& control) : control_{control} {}
  ~pg_thaw_guard() { control_.thaw(); }
  pg_thaw_guard(const pg_thaw_guard&) = delete;
  pg_thaw_guard& operator=(const pg_thaw_guard&) = delete;

 private:
  const pg_control& control_;
};

// Starts the server again on destruction if a failed test left it stopped, so that the tests
// after it still have a server.
class pg_restart_guard {
 public:
  explicit pg_restart_guard(const pg_control& control) : control_{control} {}
  ~pg_restart_guard();
  pg_restart_guard(const pg_restart_guard&) = delete;
  pg_restart_guard& operator=(const pg_restart_guard&) = delete;

 private:
  const pg_control& control_;
};

}  // namespace evs::test
