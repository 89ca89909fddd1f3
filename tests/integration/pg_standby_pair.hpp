#pragma once
// A PostgreSQL primary and a streaming standby of its own (pg_basebackup), on free ports of
// 127.0.0.1, in a temporary folder, for failover tests. Built with the binaries of
// scripts/with-postgres (EVS_TEST_PG_BIN, run as EVS_TEST_PG_CTL_USER when set); both servers
// are stopped and their folder removed on destruction.
#include "pg_control.hpp"
#include "support/temp_dir.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace evs::test {

enum class replication { synchronous, asynchronous };

// Whether the standby keeps the synchronous_standby_names it copies from the primary (the
// setting is made before pg_basebackup, as on a primary that already had a standby). Kept,
// the promoted standby waits on every commit for a standby of its own that does not exist.
enum class standby_settings { cleared, copied_from_primary };

class pg_standby_pair {
 public:
  // Returns once the standby streams from the primary (and, when synchronous, is the
  // primary's synchronous standby). Throws std::runtime_error with the step that failed.
  explicit pg_standby_pair(replication mode, standby_settings standby = standby_settings::cleared);
  ~pg_standby_pair() = default;
  pg_standby_pair(const pg_standby_pair&) = delete;
  pg_standby_pair& operator=(const pg_standby_pair&) = delete;

  // postgresql://evs:…@127.0.0.1:PRIMARY,127.0.0.1:STANDBY/evs?target_session_attrs=read-write
  std::string failover_url() const;
  // One server only.
  std::string url_of(std::uint16_t port) const;
  std::uint16_t primary_port() const { return primary_port_; }
  std::uint16_t standby_port() const { return standby_port_; }
  const std::string& password() const { return password_; }

  const pg_control& primary() const { return *primary_.control; }
  const pg_control& standby() const { return *standby_.control; }

  // A statement run as the superuser on one server; its output, tuples only, unaligned.
  std::string sql(std::uint16_t port, const std::string& statement) const;

 private:
  std::string run_as_owner(std::vector<std::string> command, const std::string& step) const;
  void start_server(const std::string& data, const std::string& log) const;

  temp_dir dir_{"evs-pg-pair"};
  std::string bin_;
  std::string user_;
  std::string sockets_;
  std::string password_;
  std::uint16_t primary_port_ = 0;
  std::uint16_t standby_port_ = 0;
  // Stops its server on destruction, also when the constructor fails halfway.
  struct running_server {
    std::unique_ptr<pg_control> control;
    running_server() = default;
    running_server(const running_server&) = delete;
    running_server& operator=(const running_server&) = delete;
    ~running_server() {
      if (control) control->stop_now();
    }
  };

  running_server standby_;
  running_server primary_;
};

}  // namespace evs::test
