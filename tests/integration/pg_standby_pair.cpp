#include "pg_standby_pair.hpp"

#include "support/backends.hpp"
#include "support/process.hpp"
#include "support/wait.hpp"

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <utility>
#include <vector>

namespace evs::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* superuser = "evs_admin";
constexpr const char* standby_name = "evs_standby";

// A port nobody listens on right now: the kernel's pick for a socket bound to port 0.
std::uint16_t free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  if (!bound) throw std::runtime_error("cannot find a free port");
  return ntohs(address.sin_port);
}

std::string random_password() {
  std::random_device device;
  std::string text;
  for (int i = 0; i < 24; ++i) text += "0123456789abcdef"[device() % 16];
  return text;
}

void append(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out{file, std::ios::app};
  out << text;
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

// PostgreSQL refuses to run as root: everything in the folder belongs to the server's user.
void give_to(const std::filesystem::path& root, const std::string& user) {
  if (user.empty()) return;
  const passwd* owner = ::getpwnam(user.c_str());
  if (owner == nullptr) throw std::runtime_error("no user " + user);
  const auto own = [&](const std::filesystem::path& p) {
    if (::chown(p.c_str(), owner->pw_uid, owner->pw_gid) != 0)
      throw std::runtime_error("cannot chown " + p.string());
  };
  own(root);
  for (const auto& entry : std::filesystem::recursive_directory_iterator{root}) own(entry.path());
}

// Settings both servers start from; the standby inherits them through pg_basebackup.
std::string server_settings(std::uint16_t port, const std::string& sockets) {
  return "listen_addresses = '127.0.0.1'\n"
         "port = " +
         std::to_string(port) + "\nunix_socket_directories = '" + sockets +
         "'\n"
         "max_connections = 50\n"
         // A process crash (kill -9) keeps what was written in the page cache: the test needs
         // no fsync to be honest about it, and CI has two cores.
         "fsync = off\n"
         "logging_collector = off\n"
         "log_min_messages = warning\n"
         "wal_level = replica\n"
         "hot_standby = on\n";
}

}  // namespace

pg_standby_pair::pg_standby_pair(replication mode, standby_settings standby)
    : bin_{required_env("EVS_TEST_PG_BIN")}, password_{random_password()} {
  if (const char* user = std::getenv("EVS_TEST_PG_CTL_USER")) user_ = user;
  const auto root = dir_.path();
  sockets_ = (root / "sockets").string();
  const auto primary_data = (root / "primary").string();
  const auto standby_data = (root / "standby").string();
  std::filesystem::create_directories(sockets_);
  std::filesystem::create_directories(root / "runs");
  append(root / "superuser.pw", random_password() + "\n");
  give_to(root, user_);

  run_as_owner({bin_ + "/initdb", "-D", primary_data, "-U", superuser,
                "--pwfile=" + (root / "superuser.pw").string(), "--auth-local=trust",
                "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"},
               "initdb");
  primary_port_ = free_loopback_port();
  append(primary_data + "/postgresql.auto.conf", server_settings(primary_port_, sockets_));
  primary_.control = std::make_unique<pg_control>(
      pg_server_paths{bin_, primary_data, (root / "primary.log").string(), user_});
  start_server(primary_data, (root / "primary.log").string());
  sql(primary_port_, "CREATE ROLE evs LOGIN PASSWORD '" + password_ + "'");
  sql(primary_port_, "CREATE DATABASE evs OWNER evs");
  // Commits wait for the standby from here on; the copy below commits nothing.
  if (mode == replication::synchronous) {
    sql(primary_port_,
        std::string{"ALTER SYSTEM SET synchronous_standby_names = '"} + standby_name + "'");
    sql(primary_port_, "SELECT pg_reload_conf()");
  }

  run_as_owner({bin_ + "/pg_basebackup", "-h", sockets_, "-p", std::to_string(primary_port_), "-U",
                superuser, "-D", standby_data, "-X", "stream", "-c", "fast", "--no-sync"},
               "pg_basebackup");
  standby_port_ = free_loopback_port();
  // Written after the copy, so they are the standby's alone: its port, where it streams from
  // and the name the primary's synchronous_standby_names refers to. Cleared, the copied
  // synchronous_standby_names no longer applies, so the promoted standby does not wait for a
  // standby of its own that does not exist.
  append(standby_data + "/postgresql.auto.conf",
         "port = " + std::to_string(standby_port_) + "\nprimary_conninfo = 'host=" + sockets_ +
             " port=" + std::to_string(primary_port_) + " user=" + superuser +
             " application_name=" + standby_name + "'\n" +
             (standby == standby_settings::cleared ? "synchronous_standby_names = ''\n" : ""));
  append(standby_data + "/standby.signal", "");
  give_to(root, user_);
  standby_.control = std::make_unique<pg_control>(
      pg_server_paths{bin_, standby_data, (root / "standby.log").string(), user_});
  start_server(standby_data, (root / "standby.log").string());

  const std::string wanted = mode == replication::synchronous ? "sync" : "async";
  const bool streaming = eventually(
      [&] {
        return sql(primary_port_, std::string{"SELECT sync_state FROM pg_stat_replication WHERE "
                                              "application_name = '"} +
                                      standby_name + "' AND state = 'streaming'") == wanted + "\n";
      },
      30s);
  if (!streaming)
    throw std::runtime_error("the standby is not streaming as " + wanted + "; see " +
                             (root / "standby.log").string());
}

std::string pg_standby_pair::url_of(std::uint16_t port) const {
  return "postgresql://evs:" + password_ + "@127.0.0.1:" + std::to_string(port) + "/evs";
}

std::string pg_standby_pair::failover_url() const {
  return "postgresql://evs:" + password_ + "@127.0.0.1:" + std::to_string(primary_port_) +
         ",127.0.0.1:" + std::to_string(standby_port_) + "/evs?target_session_attrs=read-write";
}

std::string pg_standby_pair::sql(std::uint16_t port, const std::string& statement) const {
  process_options options;
  options.program = bin_ + "/psql";
  options.args = {"-X", "-q",
                  "-t", "-A",
                  "-v", "ON_ERROR_STOP=1",
                  "-h", sockets_,
                  "-p", std::to_string(port),
                  "-U", superuser,
                  "-d", "postgres",
                  "-c", statement};
  const auto r = run_program(options, dir_ / "runs", 30s);
  if (!r.status.exited || r.status.code != 0)
    throw std::runtime_error("psql -c \"" + statement + "\" failed: " + r.err);
  return r.out;
}

std::string pg_standby_pair::run_as_owner(std::vector<std::string> command,
                                          const std::string& step) const {
  process_options options;
  if (user_.empty()) {
    options.program = command.front();
    options.args.assign(command.begin() + 1, command.end());
  } else {
    options.program = "/usr/sbin/runuser";
    options.args = {"-u", user_, "--"};
    options.args.insert(options.args.end(), command.begin(), command.end());
  }
  options.cwd = dir_.path();
  const auto r = run_program(options, dir_ / "runs", 120s);
  if (!r.status.exited || r.status.code != 0)
    throw std::runtime_error(step + " failed: " + r.err + r.out);
  return r.out;
}

void pg_standby_pair::start_server(const std::string& data, const std::string& log) const {
  run_as_owner({bin_ + "/pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "start"},
               "pg_ctl start (" + log + ")");
}

}  // namespace evs::test
