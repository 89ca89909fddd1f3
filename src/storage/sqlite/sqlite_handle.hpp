#pragma once
// RAII owners of sqlite3* and sqlite3_stmt*, with the few helpers the stores need.
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace evs::storage::sqlite {

// Thrown by the wrappers; stores turn it into errc values at their boundary.
class sqlite_error : public std::runtime_error {
 public:
  sqlite_error(int code, const std::string& what) : std::runtime_error(what), code_{code} {}
  int code() const noexcept { return code_; }

 private:
  int code_;
};

class statement {
 public:
  statement(sqlite3* db, std::string_view sql);
  ~statement();
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  statement(statement&& other) noexcept;
  statement& operator=(statement&& other) noexcept;

  void bind(int index, std::string_view text);
  // Binds without copying: `text` must stay alive and unchanged until reset().
  void bind_static(int index, std::string_view text);
  void bind(int index, std::int64_t value);
  void bind_null(int index);
  void bind(int index, const std::optional<std::string>& text);

  // True while a row is available; false when done. Throws on error.
  bool step();
  void reset() noexcept;

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

class connection {
 public:
  // `vfs`: the name of a registered VFS, or nullptr for SQLite's default.
  explicit connection(const std::string& path, int flags, const char* vfs = nullptr);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  sqlite3* get() const noexcept { return db_; }
  void exec(const char* sql);

 private:
  sqlite3* db_ = nullptr;
};

[[noreturn]] void throw_error(sqlite3* db, int code, std::string_view context);

}  // namespace evs::storage::sqlite
