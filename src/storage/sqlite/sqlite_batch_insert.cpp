#include "storage/sqlite/sqlite_batch_insert.hpp"

#include "sqlite/error.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <vector>

namespace evs::storage::sqlite {

using evs::sqlite::reset_on_exit;
using evs::sqlite::statement;

batch_insert::batch_insert(evs::sqlite::connection& db)
    : db_{db},
      max_id_{db, "SELECT max(id) FROM events"},
      find_id_{db, "SELECT id FROM events WHERE event_id = ?"} {}

statement& batch_insert::for_rows(std::size_t rows) {
  auto& slot = by_rows_[rows - 1];
  if (!slot) {
    // OR IGNORE, not ON CONFLICT DO NOTHING: a statement that cannot abort halfway needs no
    // statement journal, so SQLite does not copy every page the statement touches. Besides
    // event_id's uniqueness the only constraints are NOT NULLs that every event satisfies; a
    // row skipped for another reason is caught after the statement.
    std::string sql =
        "INSERT OR IGNORE INTO events (event_id, event_type, payload, occurred_at, received_at) "
        "VALUES ";
    for (std::size_t i = 0; i < rows; ++i) sql += i == 0 ? "(?,?,?,?,?)" : ",(?,?,?,?,?)";
    slot.emplace(db_, sql);
  }
  return *slot;
}

void batch_insert::run(std::span<const core::new_event> events, insert_outcome& outcome) {
  // Ids only grow (AUTOINCREMENT): every row inserted from here on gets an id above this.
  std::int64_t max_id = 0;
  {
    const reset_on_exit reset{max_id_};
    if (max_id_.step()) max_id = max_id_.column_int64(0);
  }
  while (!events.empty()) {
    const std::size_t rows = std::min(events.size(), max_rows);
    max_id = insert_chunk(events.first(rows), max_id, outcome);
    events = events.subspan(rows);
  }
}

std::int64_t batch_insert::insert_chunk(std::span<const core::new_event> chunk,
                                        std::int64_t max_before, insert_outcome& outcome) {
  auto& s = for_rows(chunk.size());
  const reset_on_exit reset{s};
  int index = 1;
  for (const auto& e : chunk) {
    // The events outlive the statement's execution: no copies of the strings.
    s.bind_static(index++, e.event_id);
    s.bind_static(index++, e.event_type);
    s.bind_static(index++, e.payload_json);
    if (e.occurred_at)
      s.bind_static(index++, *e.occurred_at);
    else
      s.bind_null(index++);
    s.bind(index++, e.received_at_us);
  }
  s.step();

  // Without conflicts the rows got consecutive ids in order, the last one being the
  // connection's last inserted rowid.
  // The last inserted row has the largest new id: the bound for the next chunk.
  const auto inserted = static_cast<std::size_t>(db_.changes());
  const std::int64_t last = inserted != 0 ? db_.last_insert_rowid() : max_before;
  if (inserted == chunk.size()) {
    const std::int64_t first = last - static_cast<std::int64_t>(inserted) + 1;
    for (std::size_t i = 0; i < chunk.size(); ++i)
      outcome.emplace_back(first + static_cast<std::int64_t>(i));
    return last;
  }
  // Some event_ids were already stored (a client's retry, usually): ask which row each one
  // is. A new id belongs to the first event that carried it; a later event with the same
  // event_id is a duplicate.
  std::vector<std::int64_t> claimed;
  for (const auto& e : chunk) {
    const reset_on_exit reset_find{find_id_};
    find_id_.bind_static(1, e.event_id);
    if (!find_id_.step())
      throw evs::sqlite::error(SQLITE_CONSTRAINT,
                               "event " + e.event_id + " was neither stored nor found");
    const std::int64_t id = find_id_.column_int64(0);
    if (id > max_before && std::find(claimed.begin(), claimed.end(), id) == claimed.end()) {
      claimed.push_back(id);
      outcome.emplace_back(id);
    } else {
      outcome.emplace_back(std::nullopt);
    }
  }
  return last;
}

}  // namespace evs::storage::sqlite
