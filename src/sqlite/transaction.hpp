#pragma once
// The one way to write in a transaction: BEGIN IMMEDIATE on construction, commit() to keep the
// changes, ROLLBACK when the scope is left without commit() (by an exception, say).
#include "sqlite/connection.hpp"

namespace evs::sqlite {

class transaction {
 public:
  // IMMEDIATE takes the write lock at once, so a busy database fails here (SQLITE_BUSY after
  // the busy timeout), never halfway through the writes.
  explicit transaction(connection& db);
  ~transaction();
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;

  // Throws error; the transaction then stays open and the destructor rolls it back.
  void commit();
  // Undoes the changes now, not at the end of the scope.
  void rollback();

 private:
  connection& db_;
  bool open_ = true;
};

}  // namespace evs::sqlite
