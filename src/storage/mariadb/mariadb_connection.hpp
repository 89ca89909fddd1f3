#pragma once
// RAII owners of MYSQL* and MYSQL_RES*, with the few helpers the store needs. Statements go as
// text: every value in them is quoted by quote(), which uses the connection's own escaping for
// its character set and SQL mode, so data can never become SQL.
#include "storage/mariadb/mariadb_dialect.hpp"

#include <mysql.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace evs::storage::mariadb {

// Thrown by the wrappers; the store turns it into errc values at its boundary.
class mariadb_error : public std::runtime_error {
 public:
  mariadb_error(const std::string& what, unsigned code, bool connection_lost,
                bool timed_out = false)
      : std::runtime_error(what),
        code_{code},
        connection_lost_{connection_lost},
        timed_out_{timed_out} {}

  // The server's or the client library's error number (0: ours).
  unsigned code() const noexcept { return code_; }
  bool connection_lost() const noexcept { return connection_lost_; }
  // The server did not answer within the timeout; the connection was dropped.
  bool timed_out() const noexcept { return timed_out_; }
  // The transaction lost a deadlock (1213) or a lock wait (1205): running it again may work.
  bool lost_race() const noexcept { return code_ == 1213 || code_ == 1205; }
  // Worth retrying later: the server is down, restarting, overloaded or read-only, or the
  // transaction lost a race. Everything else will fail again.
  bool transient() const noexcept;

 private:
  unsigned code_;
  bool connection_lost_;
  bool timed_out_;
};

// One result set, read row by row; values are exact bytes with their lengths.
class result_set {
 public:
  explicit result_set(MYSQL_RES* result) noexcept : result_{result} {}

  // Moves to the next row; false after the last.
  bool next() noexcept;
  bool is_null(unsigned column) const noexcept { return row_[column] == nullptr; }
  std::string_view text(unsigned column) const noexcept;
  std::int64_t int64(unsigned column) const;
  std::optional<std::string> optional_text(unsigned column) const;
  std::uint64_t rows() const noexcept;

 private:
  struct deleter {
    void operator()(MYSQL_RES* r) const noexcept { mysql_free_result(r); }
  };
  std::unique_ptr<MYSQL_RES, deleter> result_;
  MYSQL_ROW row_ = nullptr;
  unsigned long* lengths_ = nullptr;
};

struct connect_options {
  std::string host;
  unsigned port = 3306;
  std::string user;
  std::string password;
  std::string database;
  // Bounds connecting, and each read and write of a call (MYSQL_OPT_*_TIMEOUT, whole seconds);
  // the server also gives up on a statement or a lock wait after it.
  std::chrono::seconds timeout{10};
};

class connection {
 public:
  // Throws mariadb_error (connection_lost() is true) when the server cannot be reached or
  // refuses (wrong password, unknown database), with the server's message.
  explicit connection(const connect_options& options);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // A cheap, non-blocking check of an idle connection: a server that went away has closed
  // the socket (or said why first), which poll() sees without a round trip.
  bool usable() const noexcept;
  bool open() const noexcept { return conn_ != nullptr; }

  // Runs one statement; its result set, if any, is discarded.
  void exec(std::string_view sql);
  // Runs one statement that returns rows.
  result_set query(std::string_view sql);
  // Rows changed by the last exec().
  std::uint64_t affected_rows() const noexcept;
  // The value the last exec() gave LAST_INSERT_ID(expr), or its AUTO_INCREMENT id.
  std::uint64_t insert_id() const noexcept;

  // 'text' as an SQL string literal, escaped for this connection.
  std::string quote(std::string_view text) const;
  void append_quoted(std::string& sql, std::string_view text) const;
  // The largest statement the server takes (max_allowed_packet), read once at connect.
  std::size_t max_statement_bytes() const noexcept { return max_statement_bytes_; }
  // MariaDB or MySQL, and which version: from the handshake, so known without a round trip.
  const server_flavour& server() const noexcept { return server_; }
  // "host:port, database "x", user "y"" for messages; never includes the password.
  const std::string& target() const noexcept { return target_; }
  // The client library's last message on this connection, for logs ("" when none).
  std::string last_error() const;

 private:
  using clock = std::chrono::steady_clock;
  [[noreturn]] void fail(std::string_view context, clock::time_point started);

  MYSQL* conn_ = nullptr;
  std::chrono::seconds timeout_;
  std::size_t max_statement_bytes_ = 1 << 20;
  std::string target_;
  server_flavour server_;
};

}  // namespace evs::storage::mariadb
