#include "storage/mariadb/mariadb_batch_insert.hpp"

#include "storage/mariadb/mariadb_sql.hpp"
#include "storage/mariadb/mariadb_transaction.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace evs::storage::mariadb {
namespace {

// Room left in each statement for what the per-row estimate does not count.
constexpr std::size_t statement_slack = 4096;

// The rows of one INSERT statement, which must stay under the server's max_allowed_packet.
class insert_statement {
 public:
  explicit insert_statement(std::size_t budget) : budget_{budget} { start(); }

  // Worst case of a row's text: every byte escaped.
  static std::size_t estimate(const core::new_event& e) {
    return 2 * (e.event_id.size() + e.event_type.size() + e.payload_json.size() +
                (e.occurred_at ? e.occurred_at->size() : 0)) +
           128;
  }
  bool fits(const core::new_event& e) const {
    return positions_.empty() || sql_.size() + estimate(e) + statement_slack <= budget_;
  }
  void add(const connection& db, std::int64_t id, const core::new_event& e, std::size_t position) {
    if (!positions_.empty()) sql_ += ',';
    positions_.push_back(position);
    sql_ += '(';
    sql_ += std::to_string(id);
    sql_ += ',';
    db.append_quoted(sql_, e.event_id);
    sql_ += ',';
    db.append_quoted(sql_, e.event_type);
    sql_ += ',';
    db.append_quoted(sql_, e.payload_json);
    sql_ += ',';
    if (e.occurred_at)
      db.append_quoted(sql_, *e.occurred_at);
    else
      sql_ += "NULL";
    sql_ += ',';
    sql_ += datetime_of(e.received_at_us);
    sql_ += ')';
  }

  // The statement and the batch positions of its rows. A duplicate event_id leaves the stored
  // row as it is: id = id changes nothing, so the row counts 0 in the affected rows (1 for a
  // new row; we do not ask for CLIENT_FOUND_ROWS), and RETURNING, where there is one, gives
  // the stored id rather than the one drawn. INSERT IGNORE would also turn real errors
  // (a value too long, say) into warnings.
  struct finished {
    std::string sql;
    std::vector<std::size_t> positions;
  };
  finished finish(bool returning) {
    finished out{std::move(sql_), std::move(positions_)};
    out.sql += " ON DUPLICATE KEY UPDATE id = id";
    if (returning) out.sql += " RETURNING id, event_id";
    start();
    return out;
  }

 private:
  void start() {
    sql_ =
        "INSERT INTO events (id, event_id, event_type, payload, occurred_at, received_at) "
        "VALUES ";
    positions_.clear();
  }

  std::size_t budget_;
  std::string sql_;
  std::vector<std::size_t> positions_;
};

// Ids for `count` new rows, ascending, so that handed out in request order they increase along
// the request as on every store. Both sources run as their own autocommit statement before the
// insert's transaction, as a sequence does: a rolled-back batch leaves a gap, and no writer
// waits on another's commit for its ids. For the counter that costs a commit of its own, but
// drawing inside the insert's transaction, which holds the counter's row lock until COMMIT and
// so lets one writer at a time through, measured slower (MariaDB 10.11, 4 writers, medians of
// 6 alternating runs: 39,000 against 52,000 events/s at batch 100; 1,570 against 1,740 at 1).
std::vector<std::int64_t> draw_ids(connection& db, dialect d, std::size_t count) {
  std::vector<std::int64_t> ids;
  ids.reserve(count);
  if (d == dialect::native) {
    auto rows = db.query("SELECT NEXTVAL(events_id_seq) FROM seq_1_to_" + std::to_string(count));
    while (rows.next()) ids.push_back(rows.int64(0));
    std::sort(ids.begin(), ids.end());
  } else {
    // The counter's new value comes back in the OK packet (LAST_INSERT_ID(expr) sets what
    // mysql_insert_id reports): one round trip, no SELECT.
    db.exec("UPDATE events_id_counter SET last_id = LAST_INSERT_ID(last_id + " +
            std::to_string(count) + ")");
    if (db.affected_rows() != 1)
      throw mariadb_error("events_id_counter must hold exactly one row", 0, false);
    const auto last = static_cast<std::int64_t>(db.insert_id());
    for (std::int64_t id = last - static_cast<std::int64_t>(count) + 1; id <= last; ++id)
      ids.push_back(id);
  }
  if (ids.size() != count || ids.front() < 1)
    throw mariadb_error("the id source gave " + std::to_string(ids.size()) + " ids from " +
                            std::to_string(ids.empty() ? 0 : ids.front()) + " for " +
                            std::to_string(count) + " events",
                        0, false);
  return ids;
}

// Marks as new each row whose stored id is the one drawn for it; the others met an event_id
// already stored. Returns how many rows it saw.
std::size_t mark_new_rows(result_set& rows, const batch_plan& plan,
                          const std::vector<std::int64_t>& drawn, insert_outcome& fresh) {
  std::size_t seen = 0;
  while (rows.next()) {
    const auto found = plan.position_of.find(rows.text(1));
    if (found == plan.position_of.end())
      throw mariadb_error("the server returned an event_id that was not sent", 0, false);
    const std::int64_t id = rows.int64(0);
    if (id == drawn[found->second]) fresh[found->second] = id;
    ++seen;
  }
  return seen;
}

void check_row_count(std::size_t seen, std::size_t sent) {
  // One row per row sent, or some row met something other than its own event_id.
  if (seen != sent)
    throw mariadb_error("the server reported " + std::to_string(seen) + " rows for " +
                            std::to_string(sent) + " events",
                        0, false);
}

// Portable: the affected-rows count says how many rows are new. All of them (the common case)
// or none: nothing more to ask. Some: the stored ids of the statement's event_ids say which,
// read in the same transaction, whose insert holds their locks.
void insert_portable(connection& db, const insert_statement::finished& statement,
                     const batch_plan& plan, const std::vector<std::int64_t>& drawn,
                     insert_outcome& fresh) {
  db.exec(statement.sql);
  const std::uint64_t added = db.affected_rows();
  if (added == statement.positions.size()) {
    for (const std::size_t p : statement.positions) fresh[p] = drawn[p];
    return;
  }
  if (added == 0) return;
  if (added > statement.positions.size())
    throw mariadb_error("insert changed " + std::to_string(added) + " rows for " +
                            std::to_string(statement.positions.size()) + " events",
                        0, false);
  std::string sql = "SELECT id, event_id FROM events WHERE event_id IN (";
  for (std::size_t k = 0; k < statement.positions.size(); ++k) {
    if (k != 0) sql += ',';
    db.append_quoted(sql, plan.events[statement.positions[k]].event_id);
  }
  sql += ')';
  auto rows = db.query(sql);
  check_row_count(mark_new_rows(rows, plan, drawn, fresh), statement.positions.size());
  const auto marked = static_cast<std::uint64_t>(
      std::count_if(statement.positions.begin(), statement.positions.end(),
                    [&](std::size_t p) { return fresh[p].has_value(); }));
  if (marked != added)
    throw mariadb_error("insert added " + std::to_string(added) + " rows but " +
                            std::to_string(marked) + " carry the ids drawn for them",
                        0, false);
}

}  // namespace

batch_plan::batch_plan(std::span<const core::new_event> batch) : events{batch} {
  position_of.reserve(events.size());
  unique.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i)
    if (position_of.emplace(events[i].event_id, i).second) unique.push_back(i);
  // Every writer (of every consumer) takes the unique index's locks in the same order, so
  // overlapping batches wait rather than deadlock.
  by_event_id = unique;
  std::sort(by_event_id.begin(), by_event_id.end(),
            [&](std::size_t a, std::size_t b) { return events[a].event_id < events[b].event_id; });
}

insert_outcome insert_batch(connection& db, dialect d, const batch_plan& plan) {
  insert_outcome fresh(plan.events.size());
  if (plan.unique.empty()) return fresh;
  const std::vector<std::int64_t> ids = draw_ids(db, d, plan.unique.size());
  std::vector<std::int64_t> drawn(plan.events.size(), 0);
  for (std::size_t k = 0; k < plan.unique.size(); ++k) drawn[plan.unique[k]] = ids[k];

  const bool returning = d == dialect::native;
  std::vector<insert_statement::finished> statements;
  insert_statement statement{db.max_statement_bytes()};
  for (const std::size_t p : plan.by_event_id) {
    if (!statement.fits(plan.events[p])) statements.push_back(statement.finish(returning));
    statement.add(db, drawn[p], plan.events[p], p);
  }
  statements.push_back(statement.finish(returning));

  // Native: one statement commits by itself and says everything. Portable: the SELECT that
  // may follow must see the insert's own transaction, unless the statement has one row, whose
  // affected-rows count (1 or 0) says all there is to say.
  const bool one_statement = statements.size() == 1;
  const bool says_all = returning || statements.front().positions.size() == 1;
  return in_transaction(db, !(one_statement && says_all), [&] {
    for (const auto& s : statements) {
      if (returning) {
        auto rows = db.query(s.sql);
        check_row_count(mark_new_rows(rows, plan, drawn, fresh), s.positions.size());
      } else {
        insert_portable(db, s, plan, drawn, fresh);
      }
    }
    return fresh;
  });
}

}  // namespace evs::storage::mariadb
