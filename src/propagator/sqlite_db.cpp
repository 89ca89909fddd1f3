#include "propagator/sqlite_db.hpp"

namespace evs::propagator {

sqlite_db::sqlite_db(const std::string& path, int flags) {
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw sqlite_error("cannot open " + path + ": " + message);
  }
  // A reader (--dead-letters) may briefly meet the running propagator's write lock.
  sqlite3_busy_timeout(db_, 5000);
}

sqlite_db::~sqlite_db() { sqlite3_close(db_); }

void sqlite_db::exec(const char* sql) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) fail(rc, sql);
}

void sqlite_db::fail(int code, std::string_view context) const {
  std::string message{context};
  message += ": ";
  message += db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
  throw sqlite_error(message);
}

sqlite_stmt::sqlite_stmt(const sqlite_db& db, std::string_view sql) : db_{db} {
  const int rc =
      sqlite3_prepare_v2(db.get(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) db.fail(rc, "prepare");
}

sqlite_stmt::~sqlite_stmt() { sqlite3_finalize(stmt_); }

sqlite_stmt& sqlite_stmt::bind(int index, std::string_view text) {
  const int rc =
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) db_.fail(rc, "bind");
  return *this;
}

sqlite_stmt& sqlite_stmt::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) db_.fail(rc, "bind");
  return *this;
}

bool sqlite_stmt::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_.fail(rc, "step");
}

void sqlite_stmt::reset() noexcept {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t sqlite_stmt::int64_at(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string sqlite_stmt::text_at(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column));
  return text == nullptr ? std::string{} : std::string{reinterpret_cast<const char*>(text), size};
}

sqlite_transaction::sqlite_transaction(sqlite_db& db) : db_{db} { db_.exec("BEGIN IMMEDIATE"); }

sqlite_transaction::~sqlite_transaction() {
  if (!done_) sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void sqlite_transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace evs::propagator
