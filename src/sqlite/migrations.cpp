#include "sqlite/migrations.hpp"

#include "sqlite/error.hpp"
#include "sqlite/statement.hpp"
#include "sqlite/transaction.hpp"

#include <sqlite3.h>

#include <stdexcept>
#include <string>

namespace evs::sqlite {
namespace {

int recorded_version(connection& db) {
  statement query{db, "SELECT max(version) FROM schema_version"};
  if (!query.step() || query.column_is_null(0)) return 0;
  return static_cast<int>(query.column_int64(0));
}

void check_numbering(std::span<const migration> steps) {
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (steps[i].version != static_cast<int>(i) + 1)
      throw std::invalid_argument("migration step " + std::to_string(i + 1) + " is numbered " +
                                  std::to_string(steps[i].version));
}

}  // namespace

int schema_version(connection& db) {
  statement table{db,
                  "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
                  "name = 'schema_version'"};
  table.step();
  return table.column_int64(0) == 0 ? 0 : recorded_version(db);
}

int migrate(connection& db, std::span<const migration> steps) {
  check_numbering(steps);
  const int target = static_cast<int>(steps.size());
  transaction tx{db};
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  const int version = recorded_version(db);
  if (version > target)
    throw error(SQLITE_ERROR, "database schema version " + std::to_string(version) +
                                  " is newer than this program supports (" +
                                  std::to_string(target) + ")");
  if (version == target) return 0;  // the destructor rolls back: nothing to keep
  statement record{db, "INSERT INTO schema_version (version) VALUES (?)"};
  for (const auto& step : steps.subspan(static_cast<std::size_t>(version))) {
    db.exec(step.sql);
    record.bind(1, std::int64_t{step.version});
    record.step();
    record.reset();
  }
  tx.commit();
  return target - version;
}

}  // namespace evs::sqlite
