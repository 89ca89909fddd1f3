#pragma once
// Schema versions. A database records the steps applied to it in its `schema_version` table,
// one row per step; migrate() applies the missing ones in order, in one transaction.
#include "sqlite/connection.hpp"

#include <span>

namespace evs::sqlite {

struct migration {
  int version;      // the version this step brings the schema to: 1, 2, 3, ... in order
  const char* sql;  // one or more statements; append new steps, never edit a released one
};

// The highest version recorded; 0 for a database without a schema_version table. Works on a
// read-only connection.
int schema_version(connection& db);

// Applies the steps above the database's version, in order, in one BEGIN IMMEDIATE transaction,
// and returns how many it applied (0 when the schema is current). Throws error, changing
// nothing, when a step fails or the database is newer than the last step; throws
// std::invalid_argument when `steps` are not numbered 1, 2, 3, ...
int migrate(connection& db, std::span<const migration> steps);

}  // namespace evs::sqlite
