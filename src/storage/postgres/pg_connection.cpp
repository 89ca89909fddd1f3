#include "storage/postgres/pg_connection.hpp"

#include "runtime/log.hpp"

#include <poll.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <string>

namespace evs::storage::postgres {

bool pg_error::transient() const noexcept {
  if (connection_lost_) return true;
  const std::string_view state{sqlstate_};
  if (state.size() != 5) return false;
  const std::string_view cls = state.substr(0, 2);
  return cls == "08"           // connection exception
         || cls == "53"        // insufficient resources: too many connections, disk full
         || state == "57P01"   // admin_shutdown
         || state == "57P02"   // crash_shutdown
         || state == "57P03"   // cannot_connect_now: starting up or shutting down
         || state == "57014"   // query_canceled
         || state == "40001"   // serialization_failure
         || state == "40P01"   // deadlock_detected
         || state == "25006"   // read_only_sql_transaction: a standby
         || state == "55P03";  // lock_not_available
}

std::string_view query_result::text(int row, int column) const noexcept {
  const char* value = PQgetvalue(result_.get(), row, column);
  const int length = PQgetlength(result_.get(), row, column);
  return {value, static_cast<std::size_t>(length)};
}

std::int64_t query_result::int64(int row, int column) const {
  const std::string_view value = text(row, column);
  std::int64_t parsed = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (ec != std::errc{} || end != value.data() + value.size())
    throw pg_error("unexpected integer value '" + std::string{value} + "'", "", false);
  return parsed;
}

std::optional<std::string> query_result::optional_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return std::string{text(row, column)};
}

std::int64_t query_result::affected_rows() const {
  const std::string_view count{PQcmdTuples(result_.get())};
  std::int64_t parsed = 0;
  std::from_chars(count.data(), count.data() + count.size(), parsed);
  return parsed;
}

std::string one_line(std::string_view message) {
  std::string line;
  line.reserve(message.size());
  bool pending_break = false;
  for (const char c : message) {
    if (c == '\n' || c == '\r') {
      pending_break = !line.empty();
      continue;
    }
    if (c == ' ' || c == '\t') {
      if (!line.empty() && line.back() != ' ' && !pending_break) line += ' ';
      continue;
    }
    if (pending_break) {
      while (!line.empty() && line.back() == ' ') line.pop_back();
      line += line.back() == ':' ? " " : "; ";
      pending_break = false;
    }
    line += c;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

std::string describe_target(PGconn* conn) {
  const auto value = [](const char* s) { return std::string{s != nullptr ? s : "?"}; };
  return value(PQhost(conn)) + ":" + value(PQport(conn)) + ", database \"" + value(PQdb(conn)) +
         "\", user \"" + value(PQuser(conn)) + "\"";
}

namespace {

// Our defaults come first and the user's parameters after them, so that the user's win (libpq
// keeps the last value of a keyword, and an expanded `dbname` overrides what came before it);
// UTF8 comes last because it is not negotiable: payloads must stay byte for byte.
class connect_params {
 public:
  explicit connect_params(const connect_options& options) {
    add("connect_timeout", std::to_string(options.connect_timeout.count()));
    add("keepalives", "1");
    add("keepalives_idle", std::to_string(options.keepalive_idle.count()));
    add("keepalives_interval", "5");
    add("keepalives_count", "3");
    add("tcp_user_timeout", std::to_string(options.tcp_user_timeout.count()));
    add("application_name", options.application_name);
    for (const auto& p : options.params) add(p.keyword, p.value);
    add("client_encoding", "UTF8");
    for (const auto& p : owned_) {
      keywords_.push_back(p.keyword.c_str());
      values_.push_back(p.value.c_str());
    }
    keywords_.push_back(nullptr);
    values_.push_back(nullptr);
  }

  const char* const* keywords() const noexcept { return keywords_.data(); }
  const char* const* values() const noexcept { return values_.data(); }

 private:
  void add(std::string keyword, std::string value) {
    owned_.push_back({std::move(keyword), std::move(value)});
  }

  std::vector<connection_param> owned_;
  std::vector<const char*> keywords_;
  std::vector<const char*> values_;
};

// libpq prints server notices to stderr by default, which would break the log format.
void log_notice(void*, const char* message) {
  log::debug("PostgreSQL notice", {{"message", one_line(message)}});
}

}  // namespace

PGPing ping_server(const connect_options& options) {
  const connect_params params{options};
  return PQpingParams(params.keywords(), params.values(), options.expand_dbname ? 1 : 0);
}

connection::connection(const connect_options& options)
    : statement_timeout_{options.statement_timeout} {
  const connect_params params{options};
  conn_ = PQconnectdbParams(params.keywords(), params.values(), options.expand_dbname ? 1 : 0);
  if (conn_ == nullptr)
    throw pg_error("out of memory allocating a PostgreSQL connection", "", true);
  if (PQstatus(conn_) != CONNECTION_OK) {
    // libpq's message names host and port when it got as far as trying them.
    std::string message = "cannot connect to PostgreSQL";
    if (PQdb(conn_) != nullptr && PQuser(conn_) != nullptr)
      message += std::string{" (database \""} + PQdb(conn_) + "\", user \"" + PQuser(conn_) + "\")";
    message += ": " + one_line(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw pg_error(message, "", true);
  }
  target_ = describe_target(conn_);
  PQsetNoticeProcessor(conn_, log_notice, nullptr);
  // Non-blocking, so that sending a large statement to a server that stopped reading cannot
  // block either: every wait goes through wait_for_socket() and its deadline.
  if (PQsetnonblocking(conn_, 1) != 0)
    throw pg_error("cannot make the PostgreSQL connection non-blocking", "", true);
  // The server gives up on its own as well, so that a statement waiting on a lock does not
  // outlive the client that gave up on it.
  exec(("SET statement_timeout = " + std::to_string(statement_timeout_.count())).c_str());
}

connection::~connection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

std::string connection::last_error() const {
  if (conn_ == nullptr) return "connection closed";
  return one_line(PQerrorMessage(conn_));
}

bool connection::usable() noexcept {
  // An idle connection has nothing to read unless the server is going away: then it sent a
  // FATAL (libpq passes it to the notice processor) and closed, and reading again sees the
  // end of the stream. A few rounds cover both arriving in separate reads.
  for (int round = 0; round < 4; ++round) {
    if (PQstatus(conn_) != CONNECTION_OK) return false;
    pollfd pending{PQsocket(conn_), POLLIN, 0};
    const int ready = ::poll(&pending, 1, 0);
    if (ready == 0) break;
    if (ready < 0 || PQconsumeInput(conn_) == 0) return false;
    static_cast<void>(PQisBusy(conn_));  // parses what arrived
  }
  return idle_outside_transaction();
}

bool connection::idle_outside_transaction() const noexcept {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

query_result connection::check(PGresult* result, std::string_view context) {
  const ExecStatusType status = PQresultStatus(result);
  if (result != nullptr && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK))
    return query_result{result};
  std::string message{context};
  message += ": ";
  std::string sqlstate;
  if (result != nullptr) {
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    if (state != nullptr) sqlstate = state;
    message += one_line(PQresultErrorMessage(result));
    PQclear(result);
  } else {
    message += one_line(PQerrorMessage(conn_));
  }
  throw pg_error(message, std::move(sqlstate), PQstatus(conn_) != CONNECTION_OK);
}

bool connection::wait_for_socket(short events, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd socket{PQsocket(conn_), events, 0};
    const int ready = ::poll(&socket, 1, static_cast<int>(left.count()));
    if (ready > 0) return true;
    if (ready < 0 && errno != EINTR) return true;  // let libpq meet and report the error
  }
}

void connection::abandon(std::string_view context) {
  // A server that stopped answering cannot be asked to cancel either: drop the connection.
  PQfinish(conn_);
  conn_ = nullptr;
  prepared_.clear();
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f",
                std::chrono::duration<double>(statement_timeout_).count());
  throw pg_error(std::string{context} + ": no answer from PostgreSQL within " + seconds +
                     " s; connection dropped",
                 "", true, true);
}

PGresult* connection::await_result(bool sent, std::string_view context) {
  if (!sent) return nullptr;  // check() reports PQerrorMessage
  const auto deadline = std::chrono::steady_clock::now() + statement_timeout_;
  for (;;) {  // what libpq could not send at once
    const int flushed = PQflush(conn_);
    if (flushed == 0) break;
    if (flushed < 0) return nullptr;
    if (!wait_for_socket(POLLOUT | POLLIN, deadline)) abandon(context);
    if (PQconsumeInput(conn_) == 0) return nullptr;
  }
  // As PQexec does: the last result, or the first error.
  PGresult* kept = nullptr;
  for (;;) {
    while (PQisBusy(conn_) != 0) {
      if (!wait_for_socket(POLLIN, deadline)) {
        PQclear(kept);
        abandon(context);
      }
      if (PQconsumeInput(conn_) == 0) break;  // PQgetResult reports the failure
    }
    PGresult* next = PQgetResult(conn_);
    if (next == nullptr) return kept;
    const auto status = PQresultStatus(kept);
    if (kept != nullptr && status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      PQclear(next);
    } else {
      PQclear(kept);
      kept = next;
    }
    if (PQstatus(conn_) == CONNECTION_BAD) return kept;
  }
}

query_result connection::exec(const char* sql) {
  return check(await_result(PQsendQuery(conn_, sql) != 0, "exec"), "exec");
}

query_result connection::exec_prepared(const std::string& name, const char* sql,
                                       const param_list& params) {
  if (!prepared_.contains(name)) {
    check(await_result(PQsendPrepare(conn_, name.c_str(), sql, 0, nullptr) != 0, name),
          "prepare " + name);
    prepared_.insert(name);
  }
  return check(await_result(PQsendQueryPrepared(conn_, name.c_str(), params.size(), params.values(),
                                                nullptr, nullptr, 0) != 0,
                            name),
               name);
}

}  // namespace evs::storage::postgres
