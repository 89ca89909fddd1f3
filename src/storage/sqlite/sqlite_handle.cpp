#include "storage/sqlite/sqlite_handle.hpp"

#include <utility>

namespace evs::storage::sqlite {

void throw_error(sqlite3* db, int code, std::string_view context) {
  std::string message{context};
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  throw sqlite_error(code, message);
}

statement::statement(sqlite3* db, std::string_view sql) : db_{db} {
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) throw_error(db, rc, "prepare");
}

statement::~statement() { sqlite3_finalize(stmt_); }

statement::statement(statement&& other) noexcept
    : db_{other.db_}, stmt_{std::exchange(other.stmt_, nullptr)} {}

statement& statement::operator=(statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

void statement::bind(int index, std::string_view text) {
  const int rc =
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) throw_error(db_, rc, "bind");
}

void statement::bind_static(int index, std::string_view text) {
  const int rc =
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
  if (rc != SQLITE_OK) throw_error(db_, rc, "bind");
}

void statement::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) throw_error(db_, rc, "bind");
}

void statement::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) throw_error(db_, rc, "bind");
}

void statement::bind(int index, const std::optional<std::string>& text) {
  if (text)
    bind(index, std::string_view{*text});
  else
    bind_null(index);
}

bool statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_error(db_, rc, "step");
}

void statement::reset() noexcept {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t statement::column_int64(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string statement::column_text(int index) const {
  const auto* text = sqlite3_column_text(stmt_, index);
  const int size = sqlite3_column_bytes(stmt_, index);
  return text == nullptr
             ? std::string{}
             : std::string{reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)};
}

bool statement::column_is_null(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

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

}  // namespace

connection::connection(const std::string& path, int flags, const char* vfs) {
  configure_sqlite_once();
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, vfs);
  if (rc != SQLITE_OK) {
    const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    throw sqlite_error(rc, "cannot open " + path + ": " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
  // Wait for a lock rather than failing at once; the writer holds it only to commit.
  sqlite3_busy_timeout(db_, 5000);
}

connection::~connection() { sqlite3_close_v2(db_); }

void connection::exec(const char* sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    const std::string message = error != nullptr ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw sqlite_error(rc, message);
  }
}

}  // namespace evs::storage::sqlite
