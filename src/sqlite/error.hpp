#pragma once
// The one exception of the SQLite layer. It keeps SQLite's result code, so a caller can tell
// a busy database from a constraint violation from a broken disk.
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;

namespace evs::sqlite {

class error : public std::runtime_error {
 public:
  // `code`: a primary or extended result code (SQLITE_BUSY, SQLITE_CONSTRAINT_UNIQUE, ...).
  error(int code, const std::string& what) : std::runtime_error(what), code_{code} {}

  // The primary result code (SQLITE_CONSTRAINT for every kind of constraint violation).
  int code() const noexcept { return code_ & 0xFF; }
  // The extended result code (SQLITE_CONSTRAINT_UNIQUE), or the primary one when SQLite gave
  // no more detail.
  int extended_code() const noexcept { return code_; }

 private:
  int code_;
};

namespace detail {
// Throws an error with `code` and `context: <SQLite's message for db>`.
[[noreturn]] void throw_error(sqlite3* db, int code, std::string_view context);
}  // namespace detail

}  // namespace evs::sqlite
