#pragma once
// SQL text shared by the store's statements.
#include <cstdint>
#include <string>

// received_at travels as microseconds since the epoch; the session's time zone is UTC.
#define EVS_MARIADB_EPOCH "'1970-01-01 00:00:00'"
#define EVS_MARIADB_COLUMNS                          \
  "id, event_id, event_type, payload, occurred_at, " \
  "TIMESTAMPDIFF(MICROSECOND, " EVS_MARIADB_EPOCH ", received_at)"

namespace evs::storage::mariadb {

// A DATETIME(6) value `microseconds` after the epoch.
inline std::string datetime_of(std::int64_t microseconds) {
  return "TIMESTAMPADD(MICROSECOND, " + std::to_string(microseconds) + ", " EVS_MARIADB_EPOCH ")";
}

}  // namespace evs::storage::mariadb
