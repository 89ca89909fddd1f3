#pragma once
// Statements that must commit together, run in one transaction.
#include "storage/mariadb/mariadb_connection.hpp"

namespace evs::storage::mariadb {

// Runs body() between START TRANSACTION and COMMIT (or on its own when `needed` is false). On
// any failure the transaction is rolled back (a lock wait timeout alone would only undo its
// statement), or the connection is gone and the server rolls it back.
template <class Body>
auto in_transaction(connection& db, bool needed, Body&& body) {
  if (!needed) return body();
  db.exec("START TRANSACTION");
  try {
    auto outcome = body();
    db.exec("COMMIT");
    return outcome;
  } catch (...) {
    if (db.open()) {
      try {
        db.exec("ROLLBACK");
      } catch (const mariadb_error&) {
        // The connection is dropped by the failure; the server rolls back on its own.
      }
    }
    throw;
  }
}

}  // namespace evs::storage::mariadb
