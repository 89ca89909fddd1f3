#include "storage/mariadb/mariadb_connection.hpp"

#include <errmsg.h>
#include <mysqld_error.h>
#include <poll.h>

#include <algorithm>
#include <charconv>

namespace evs::storage::mariadb {
namespace {

// MySQL's max_execution_time ran out (ER_QUERY_TIMEOUT there; unused by MariaDB).
constexpr unsigned mysql_query_timeout = 3024;

// The client library's codes for "no connection (any more)", and the server's for "this
// connection is being closed".
bool means_connection_lost(unsigned code) noexcept {
  switch (code) {
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_UNKNOWN_HOST:
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_SERVER_LOST_EXTENDED:
    case ER_SERVER_SHUTDOWN:
    case ER_CONNECTION_KILLED: return true;
    default: return false;
  }
}

std::string one_line(std::string_view message) {
  std::string line{message};
  for (char& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  return line;
}

}  // namespace

bool mariadb_error::transient() const noexcept {
  if (connection_lost_ || lost_race()) return true;
  switch (code_) {
    case ER_CON_COUNT_ERROR:            // too many connections
    case ER_TOO_MANY_USER_CONNECTIONS:  // the user's limit
    case ER_OUT_OF_RESOURCES:
    case ER_DISK_FULL:
    case ER_RECORD_FILE_FULL:
    case ER_OPTION_PREVENTS_STATEMENT:  // --read-only
    case ER_READ_ONLY_MODE:
    case ER_QUERY_INTERRUPTED:
    case ER_STATEMENT_TIMEOUT:  // max_statement_time
    case mysql_query_timeout: return true;
    default: return false;
  }
}

bool result_set::next() noexcept {
  row_ = mysql_fetch_row(result_.get());
  lengths_ = row_ != nullptr ? mysql_fetch_lengths(result_.get()) : nullptr;
  return row_ != nullptr;
}

std::string_view result_set::text(unsigned column) const noexcept {
  if (row_[column] == nullptr) return {};
  return {row_[column], lengths_[column]};
}

std::int64_t result_set::int64(unsigned column) const {
  const std::string_view value = text(column);
  std::int64_t parsed = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (ec != std::errc{} || end != value.data() + value.size())
    throw mariadb_error("unexpected integer value '" + std::string{value} + "'", 0, false);
  return parsed;
}

std::optional<std::string> result_set::optional_text(unsigned column) const {
  if (is_null(column)) return std::nullopt;
  return std::string{text(column)};
}

std::uint64_t result_set::rows() const noexcept { return mysql_num_rows(result_.get()); }

connection::connection(const connect_options& options) : timeout_{options.timeout} {
  conn_ = mysql_init(nullptr);
  if (conn_ == nullptr)
    throw mariadb_error("out of memory allocating a MariaDB connection", 0, true);
  target_ = options.host + ":" + std::to_string(options.port) + ", database \"" + options.database +
            "\", user \"" + options.user + "\"";
  const unsigned seconds = static_cast<unsigned>(std::max<std::int64_t>(1, timeout_.count()));
  mysql_optionsv(conn_, MYSQL_OPT_CONNECT_TIMEOUT, &seconds);
  mysql_optionsv(conn_, MYSQL_OPT_READ_TIMEOUT, &seconds);
  mysql_optionsv(conn_, MYSQL_OPT_WRITE_TIMEOUT, &seconds);
  // utf8mb4 is not negotiable: payloads must stay byte for byte, four-byte characters included.
  mysql_optionsv(conn_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  const unsigned no = 0;
  mysql_optionsv(conn_, MYSQL_OPT_LOCAL_INFILE, &no);
  const my_bool reconnect = 0;  // a silent reconnect would lose the transaction's state
  mysql_optionsv(conn_, MYSQL_OPT_RECONNECT, &reconnect);
  if (mysql_real_connect(conn_, options.host.c_str(), options.user.c_str(),
                         options.password.c_str(), options.database.c_str(), options.port, nullptr,
                         0) == nullptr) {
    const unsigned code = mysql_errno(conn_);
    const std::string message = "cannot connect to MariaDB at " + target_ + ": " +
                                one_line(mysql_error(conn_)) + " (" + std::to_string(code) + ")";
    mysql_close(conn_);
    conn_ = nullptr;
    throw mariadb_error(message, code, true);
  }
  server_ = flavour_of(mysql_get_server_info(conn_), mysql_get_server_version(conn_));
  // Strict: a value that does not fit fails the statement rather than being cut. UTC, so that
  // DATETIME arithmetic means the same on every server. The server gives up on a statement or
  // a lock wait after the same timeout as we do, so that nothing outlives a client that left.
  exec(
      "SET SESSION sql_mode = "
      "'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO',"
      " time_zone = '+00:00', innodb_lock_wait_timeout = " +
      std::to_string(seconds) + ", " +
      statement_timeout_setting(server_, std::chrono::seconds{seconds}));
  auto session = query("SELECT @@max_allowed_packet, @@log_bin AND @@binlog_format = 'STATEMENT'");
  bool logs_statements = false;
  if (session.next()) {
    // Connector/C refuses to send more than its own limit (16 MiB by default) whatever the
    // server takes.
    constexpr std::size_t client_limit = std::size_t{16} << 20;
    max_statement_bytes_ = std::min(client_limit, static_cast<std::size_t>(session.int64(0)));
    logs_statements = session.int64(1) != 0;
  }
  // Under the default REPEATABLE READ, MySQL's InnoDB locks the gaps beside every row an
  // INSERT ... ON DUPLICATE KEY UPDATE finds stored already, the end of the primary key
  // included, where every new id goes: writers on overlapping event_ids deadlock one another,
  // often three times running. The statements need no more than READ COMMITTED, where only
  // the rows are locked, as on PostgreSQL. InnoDB refuses writes under it when the server
  // logs statements rather than rows (binlog_format STATEMENT): there the default stays.
  if (!logs_statements) exec("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
}

connection::~connection() {
  if (conn_ != nullptr) mysql_close(conn_);
}

bool connection::usable() const noexcept {
  if (conn_ == nullptr) return false;
  pollfd pending{mysql_get_socket(conn_), POLLIN, 0};
  // Nothing to read on an idle connection unless the server is closing it.
  return ::poll(&pending, 1, 0) == 0;
}

std::string connection::last_error() const {
  if (conn_ == nullptr) return "not connected";
  const char* message = mysql_error(conn_);
  return message != nullptr ? message : "";
}

void connection::fail(std::string_view context, clock::time_point started) {
  const unsigned code = mysql_errno(conn_);
  const bool lost = means_connection_lost(code);
  // The client library reports a read or write timeout as a lost connection; the clock tells
  // the two apart.
  const bool timed_out = lost && clock::now() - started >= timeout_;
  std::string message = std::string{context} + ": " + one_line(mysql_error(conn_)) + " (" +
                        std::to_string(code) + ")";
  if (timed_out)
    message += ": no answer from MariaDB within " + std::to_string(timeout_.count()) + " s";
  if (lost) {
    mysql_close(conn_);
    conn_ = nullptr;
    message += "; connection dropped";
  }
  throw mariadb_error(message, code, lost, timed_out);
}

void connection::exec(std::string_view sql) {
  if (conn_ == nullptr) throw mariadb_error("connection already dropped", CR_SERVER_LOST, true);
  const auto started = clock::now();
  if (mysql_real_query(conn_, sql.data(), sql.size()) != 0) fail("statement", started);
  if (mysql_field_count(conn_) != 0) {
    MYSQL_RES* result = mysql_store_result(conn_);
    if (result == nullptr) fail("statement", started);
    mysql_free_result(result);
  }
}

result_set connection::query(std::string_view sql) {
  if (conn_ == nullptr) throw mariadb_error("connection already dropped", CR_SERVER_LOST, true);
  const auto started = clock::now();
  if (mysql_real_query(conn_, sql.data(), sql.size()) != 0) fail("query", started);
  MYSQL_RES* result = mysql_store_result(conn_);
  if (result == nullptr) {
    if (mysql_errno(conn_) != 0) fail("query", started);
    throw mariadb_error("query returned no rows", 0, false);
  }
  return result_set{result};
}

std::uint64_t connection::affected_rows() const noexcept {
  return conn_ != nullptr ? mysql_affected_rows(conn_) : 0;
}

std::uint64_t connection::insert_id() const noexcept {
  return conn_ != nullptr ? mysql_insert_id(conn_) : 0;
}

void connection::append_quoted(std::string& sql, std::string_view text) const {
  const std::size_t start = sql.size();
  sql.resize(start + 2 * text.size() + 3);
  sql[start] = '\'';
  const unsigned long written =
      mysql_real_escape_string(conn_, sql.data() + start + 1, text.data(), text.size());
  sql.resize(start + 1 + written);
  sql += '\'';
}

std::string connection::quote(std::string_view text) const {
  std::string out;
  append_quoted(out, text);
  return out;
}

}  // namespace evs::storage::mariadb
