#pragma once
// RAII owners of PGconn* and PGresult*, with the few helpers the store needs. Every statement
// goes through bound parameters; SQL text never contains data.
#include "storage/storage_config.hpp"

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace evs::storage::postgres {

// Thrown by the wrappers; the store turns it into errc values at its boundary.
class pg_error : public std::runtime_error {
 public:
  pg_error(const std::string& what, std::string sqlstate, bool connection_lost,
           bool timed_out = false)
      : std::runtime_error(what),
        sqlstate_{std::move(sqlstate)},
        connection_lost_{connection_lost},
        timed_out_{timed_out} {}

  const std::string& sqlstate() const noexcept { return sqlstate_; }
  bool connection_lost() const noexcept { return connection_lost_; }
  // The server did not answer within the statement timeout; the connection was dropped.
  bool timed_out() const noexcept { return timed_out_; }

  // Worth retrying later: the server is down, restarting, overloaded, read-only, or the
  // transaction lost a deadlock or serialization race. Everything else will fail again.
  bool transient() const noexcept;

 private:
  std::string sqlstate_;
  bool connection_lost_;
  bool timed_out_;
};

// Parameters of one statement, all in text format. Holds pointers to the caller's strings
// (a batch's payloads are not copied again) and owns the numbers it formats.
class param_list {
 public:
  void add(const std::string& text) { values_.push_back(text.c_str()); }
  void add(const std::optional<std::string>& text) {
    values_.push_back(text ? text->c_str() : nullptr);
  }
  void add(std::int64_t value) {
    values_.push_back(owned_.emplace_back(std::to_string(value)).c_str());
  }
  void add(bool value) { values_.push_back(value ? "t" : "f"); }
  void add(const char*) = delete;  // would silently become add(bool)
  // Only pointers are kept: a temporary would be gone before the statement runs.
  void add(std::string&&) = delete;
  void add(std::optional<std::string>&&) = delete;
  void add_null() { values_.push_back(nullptr); }

  int size() const noexcept { return static_cast<int>(values_.size()); }
  const char* const* values() const noexcept { return values_.data(); }

 private:
  std::vector<const char*> values_;
  std::deque<std::string> owned_;  // a deque keeps c_str() stable as it grows
};

class query_result {
 public:
  explicit query_result(PGresult* result) noexcept : result_{result} {}

  int rows() const noexcept { return PQntuples(result_.get()); }
  bool is_null(int row, int column) const noexcept {
    return PQgetisnull(result_.get(), row, column) != 0;
  }
  std::string_view text(int row, int column) const noexcept;
  std::int64_t int64(int row, int column) const;
  std::optional<std::string> optional_text(int row, int column) const;
  std::int64_t affected_rows() const;

 private:
  struct deleter {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
  };
  std::unique_ptr<PGresult, deleter> result_;
};

// Defaults that keep a dead or unreachable server from hanging a call; the user's
// connection parameters may override each of them.
struct connect_options {
  std::vector<connection_param> params;
  bool expand_dbname = false;  // see postgres_config
  std::chrono::seconds connect_timeout{5};
  std::chrono::seconds keepalive_idle{10};
  std::chrono::milliseconds tcp_user_timeout{15000};
  // The longest wait for the answer to one statement (a commit included), on the server
  // (statement_timeout) and here: a server that stops answering without closing the
  // connection (a partition, a stopped process) cannot hold a caller longer than this.
  std::chrono::milliseconds statement_timeout{10000};
  std::string application_name = "event-consumer";
};

// PQpingParams with the same options: is a server there and accepting connections?
PGPing ping_server(const connect_options& options);

class connection {
 public:
  // Throws pg_error (connection_lost() is true) when the server cannot be reached or refuses.
  explicit connection(const connect_options& options);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  PGconn* get() const noexcept { return conn_; }
  // describe_target() of the server this connection reached (with several hosts, the one
  // that took it), kept for messages after the connection is gone.
  const std::string& target() const noexcept { return target_; }
  // Why the last call or check failed, in one line (libpq's message).
  std::string last_error() const;

  // A cheap, non-blocking check of an idle connection: reads what the server sent meanwhile
  // (a server that shut down has said so and closed the socket).
  bool usable() noexcept;
  bool idle_outside_transaction() const noexcept;

  // Simple protocol: several statements, no parameters. For fixed SQL only (migrations).
  // Every call waits at most the statement timeout; past it the connection is closed and
  // pg_error (connection_lost() and timed_out()) is thrown.
  query_result exec(const char* sql);
  // Extended protocol with bound parameters; the statement is prepared on first use on this
  // connection under `name` and reused afterwards.
  query_result exec_prepared(const std::string& name, const char* sql, const param_list& params);

 private:
  query_result check(PGresult* result, std::string_view context);
  // The result of what `sent` says was just sent, within the statement timeout.
  PGresult* await_result(bool sent, std::string_view context);
  bool wait_for_socket(short events, std::chrono::steady_clock::time_point deadline);
  [[noreturn]] void abandon(std::string_view context);

  PGconn* conn_ = nullptr;
  std::string target_;
  std::chrono::milliseconds statement_timeout_;
  std::unordered_set<std::string> prepared_;
};

// "host:port, database "x", user "y"" for messages; never includes the password.
std::string describe_target(PGconn* conn);
// libpq messages span lines ("connection to server ... failed: FATAL: ..."): make one line.
std::string one_line(std::string_view message);

}  // namespace evs::storage::postgres
