#pragma once
// Why a PostgreSQL call timed out, when the server can say: asked on another connection, so
// that the log names the cause instead of only the timeout.
#include "storage/postgres/pg_connection.hpp"

#include <optional>
#include <string>

namespace evs::storage::postgres {

// Sessions of ours whose COMMIT waits for a synchronous standby: nullopt when none does,
// else what synchronous_standby_names asks for and how many wait. A commit waits there for
// as long as no listed standby confirms (statement_timeout does not end the wait), so after
// a failover to a standby that kept the primary's setting, every write stalls until a
// standby attaches or the setting is cleared.
struct synchronous_commit_stall {
  std::string standby_names;
  std::int64_t waiting = 0;
};
std::optional<synchronous_commit_stall> find_synchronous_commit_stall(connection& db);

}  // namespace evs::storage::postgres
