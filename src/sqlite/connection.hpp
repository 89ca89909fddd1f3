#pragma once
// An open SQLite database: the RAII owner of a sqlite3 handle. SQLite's own header stays out
// of this one, so modules that hold a connection do not compile against SQLite.
#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace evs::sqlite {

enum class open_mode {
  read_only,
  read_write,         // the file must exist
  read_write_create,  // created when missing
};

class connection {
 public:
  // Throws error (SQLITE_CANTOPEN, ...) when the file cannot be opened. `vfs`: the name of a
  // registered VFS, or nullptr for SQLite's default. A connection is used by one thread at a
  // time (SQLite's own mutex is off) and waits up to 5 s for a lock held by another one.
  connection(const std::string& path, open_mode mode, const char* vfs = nullptr);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // Runs one or more statements that return nothing of interest.
  void exec(const char* sql);

  // PRAGMA name=value, e.g. set_pragma("journal_mode", "WAL").
  void set_pragma(std::string_view name, std::string_view value);
  // What PRAGMA name reports, as text ("wal", "2"); empty when it reports nothing.
  std::string pragma(std::string_view name);

  // How long a statement waits for another connection's lock before failing with SQLITE_BUSY.
  void busy_timeout(std::chrono::milliseconds timeout);

  // Rows changed by the last INSERT, UPDATE or DELETE on this connection.
  std::int64_t changes() const noexcept;
  // The rowid of the last row this connection inserted.
  std::int64_t last_insert_rowid() const noexcept;
  // Inside a transaction (one that SQLite has not already rolled back on its own).
  bool in_transaction() const noexcept;

  sqlite3* native_handle() const noexcept { return db_; }

 private:
  friend class transaction;
  // BEGIN IMMEDIATE, COMMIT and ROLLBACK, prepared once: a writer runs them for every commit.
  enum class control { begin_immediate, commit, rollback };
  void run(control which);

  sqlite3* db_ = nullptr;
  std::array<sqlite3_stmt*, 3> control_{};
};

}  // namespace evs::sqlite
