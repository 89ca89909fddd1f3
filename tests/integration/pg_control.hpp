#pragma once
// Stopping and starting the throwaway PostgreSQL server of scripts/with-postgres, for tests
// of outages. Reads EVS_TEST_PG_BIN, EVS_TEST_PG_DATA, EVS_TEST_PG_LOG, EVS_TEST_PG_CTL_USER.
#include <string>

namespace evs::test {

class pg_control {
 public:
  // Throws std::runtime_error naming the variable when one is missing.
  pg_control();

  // `pg_ctl stop -m fast`: sessions are terminated, like an administrator's restart.
  void stop() const;
  void start() const;
  bool running() const;

  // SIGSTOP / SIGCONT to the postmaster and every backend: a server that keeps its
  // connections open and answers nothing, as a network partition looks to a client.
  void freeze() const;
  void thaw() const;

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
