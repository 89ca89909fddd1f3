#include "sqlite/transaction.hpp"

#include "sqlite/error.hpp"

namespace evs::sqlite {

transaction::transaction(connection& db) : db_{db} {
  db_.run(connection::control::begin_immediate);
}

transaction::~transaction() {
  if (!open_) return;
  try {
    // After some errors (a full disk, say) SQLite has already rolled back on its own.
    if (db_.in_transaction()) db_.run(connection::control::rollback);
  } catch (const error&) {
    // A connection that cannot roll back rolls back when it is closed.
  }
}

void transaction::commit() {
  db_.run(connection::control::commit);
  open_ = false;
}

void transaction::rollback() {
  if (db_.in_transaction()) db_.run(connection::control::rollback);
  open_ = false;
}

}  // namespace evs::sqlite
