#include "storage/postgres/pg_diagnosis.hpp"

namespace evs::storage::postgres {

std::optional<synchronous_commit_stall> find_synchronous_commit_stall(connection& db) {
  // pg_stat_activity shows wait events of the sessions of one's own role, which are ours.
  const query_result rows =
      db.exec_prepared("evs_syncrep_stall",
                       "SELECT current_setting('synchronous_standby_names'), "
                       "(SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep')",
                       param_list{});
  const auto waiting = rows.int64(0, 1);
  if (waiting == 0) return std::nullopt;
  return synchronous_commit_stall{std::string{rows.text(0, 0)}, waiting};
}

}  // namespace evs::storage::postgres
