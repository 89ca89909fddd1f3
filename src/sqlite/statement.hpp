#pragma once
// A prepared statement: bind, step, read columns, reset and run again.
#include "sqlite/connection.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace evs::sqlite {

class statement {
 public:
  // Prepared as long-lived: a statement is usually kept and run many times.
  statement(connection& db, std::string_view sql);
  ~statement();
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  statement(statement&& other) noexcept;
  statement& operator=(statement&& other) noexcept;

  // Parameters count from 1. Each throws error when SQLite refuses the value.
  statement& bind(int index, std::string_view text);  // copies the text
  // Binds without copying: `text` must stay alive and unchanged until reset().
  statement& bind_static(int index, std::string_view text);
  statement& bind(int index, std::int64_t value);
  statement& bind_null(int index);  // a parameter left unbound is NULL too

  // True while a row is available; false when done. Throws error.
  bool step();
  // Ready to run again, with every parameter back to NULL.
  void reset() noexcept;

  // Columns count from 0 and are read from the current row.
  std::int64_t column_int64(int index) const;
  std::string column_text(int index) const;
  bool column_is_null(int index) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a reused statement however the scope ends: after a failed step, a statement that is
// not reset refuses every later use.
class reset_on_exit {
 public:
  explicit reset_on_exit(statement& s) : s_{s} {}
  ~reset_on_exit() { s_.reset(); }
  reset_on_exit(const reset_on_exit&) = delete;
  reset_on_exit& operator=(const reset_on_exit&) = delete;

 private:
  statement& s_;
};

}  // namespace evs::sqlite
