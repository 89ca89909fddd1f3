#include "sqlite/connection.hpp"

#include "sqlite/error.hpp"
#include "sqlite/statement.hpp"

#include <sqlite3.h>

namespace evs::sqlite {
namespace {

// Process-wide, applied once before SQLite initialises (later it is refused, harmlessly).
// Memory statistics take a global mutex on every allocation, and nothing here reads them.
void configure_sqlite_once() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
}

int open_flags(open_mode mode) {
  switch (mode) {
    case open_mode::read_only: return SQLITE_OPEN_READONLY;
    case open_mode::read_write: return SQLITE_OPEN_READWRITE;
    case open_mode::read_write_create: return SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  }
  return SQLITE_OPEN_READONLY;
}

constexpr std::array<const char*, 3> control_sql = {"BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"};

}  // namespace

connection::connection(const std::string& path, open_mode mode, const char* vfs) {
  configure_sqlite_once();
  const int rc = sqlite3_open_v2(path.c_str(), &db_, open_flags(mode) | SQLITE_OPEN_NOMUTEX, vfs);
  if (rc != SQLITE_OK) {
    const int code = db_ != nullptr ? sqlite3_extended_errcode(db_) : rc;
    const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    throw error(code, "cannot open " + path + ": " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
  busy_timeout(std::chrono::seconds{5});
}

connection::~connection() {
  for (auto* s : control_) sqlite3_finalize(s);
  sqlite3_close_v2(db_);
}

void connection::exec(const char* sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    const std::string text = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw error(rc, text);
  }
}

void connection::set_pragma(std::string_view name, std::string_view value) {
  std::string sql{"PRAGMA "};
  sql += name;
  sql += '=';
  sql += value;
  exec(sql.c_str());
}

std::string connection::pragma(std::string_view name) {
  statement query{*this, std::string{"PRAGMA "} + std::string{name}};
  return query.step() ? query.column_text(0) : std::string{};
}

void connection::busy_timeout(std::chrono::milliseconds timeout) {
  sqlite3_busy_timeout(db_, static_cast<int>(timeout.count()));
}

std::int64_t connection::changes() const noexcept { return sqlite3_changes64(db_); }

std::int64_t connection::last_insert_rowid() const noexcept {
  return sqlite3_last_insert_rowid(db_);
}

bool connection::in_transaction() const noexcept { return sqlite3_get_autocommit(db_) == 0; }

void connection::run(control which) {
  const auto index = static_cast<std::size_t>(which);
  auto*& stmt = control_[index];
  const char* sql = control_sql[index];
  if (stmt == nullptr) {
    const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) detail::throw_error(db_, rc, sql);
  }
  const int rc = sqlite3_step(stmt);
  if (rc == SQLITE_DONE) {
    sqlite3_reset(stmt);
    return;
  }
  // The message first: resetting the statement may replace it.
  const error failure{rc, std::string{sql} + ": " + sqlite3_errmsg(db_)};
  sqlite3_reset(stmt);
  throw failure;
}

}  // namespace evs::sqlite
