#pragma once
// Minimal RAII owners of sqlite3* and sqlite3_stmt* for the spool.
#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace evs::propagator {

class sqlite_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class sqlite_db {
 public:
  sqlite_db(const std::string& path, int flags);
  ~sqlite_db();
  sqlite_db(const sqlite_db&) = delete;
  sqlite_db& operator=(const sqlite_db&) = delete;

  sqlite3* get() const noexcept { return db_; }
  void exec(const char* sql);
  [[noreturn]] void fail(int code, std::string_view context) const;

 private:
  sqlite3* db_ = nullptr;
};

class sqlite_stmt {
 public:
  sqlite_stmt(const sqlite_db& db, std::string_view sql);
  ~sqlite_stmt();
  sqlite_stmt(const sqlite_stmt&) = delete;
  sqlite_stmt& operator=(const sqlite_stmt&) = delete;

  sqlite_stmt& bind(int index, std::string_view text);
  sqlite_stmt& bind(int index, std::int64_t value);
  bool step();  // true while a row is available
  void reset() noexcept;

  std::int64_t int64_at(int column) const;
  std::string text_at(int column) const;

 private:
  const sqlite_db& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back when left by an exception.
class sqlite_transaction {
 public:
  explicit sqlite_transaction(sqlite_db& db);
  ~sqlite_transaction();
  sqlite_transaction(const sqlite_transaction&) = delete;
  sqlite_transaction& operator=(const sqlite_transaction&) = delete;
  void commit();

 private:
  sqlite_db& db_;
  bool done_ = false;
};

}  // namespace evs::propagator
