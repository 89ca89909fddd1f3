#include "sqlite/error.hpp"

#include <sqlite3.h>

namespace evs::sqlite::detail {

void throw_error(sqlite3* db, int code, std::string_view context) {
  std::string message{context};
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  throw error(code, message);
}

}  // namespace evs::sqlite::detail
