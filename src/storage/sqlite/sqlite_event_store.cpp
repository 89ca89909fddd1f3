#include "storage/sqlite/sqlite_event_store.hpp"

#include "runtime/log.hpp"
#include "sqlite/error.hpp"
#include "sqlite/statement.hpp"
#include "sqlite/transaction.hpp"
#include "storage/sqlite/sqlite_batch_insert.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
#include "storage/sqlite/sqlite_writer_settings.hpp"
#include "storage/sqlite/wal_write_batching.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

namespace evs::storage::sqlite {

using evs::sqlite::connection;
using evs::sqlite::open_mode;
using evs::sqlite::reset_on_exit;
using evs::sqlite::statement;
using evs::sqlite::transaction;

namespace {

constexpr const char* select_columns =
    "SELECT id, event_id, event_type, payload, occurred_at, received_at FROM events";

core::stored_event read_row(const statement& s) {
  core::stored_event e;
  e.id = s.column_int64(0);
  e.event_id = s.column_text(1);
  e.event_type = s.column_text(2);
  e.payload_json = s.column_text(3);
  if (!s.column_is_null(4)) e.occurred_at = s.column_text(4);
  e.received_at_us = s.column_int64(5);
  return e;
}

// Busy, locked, I/O and full-disk errors may pass; everything else needs a human.
errc classify(int code) {
  switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL: return errc::storage_unavailable;
    default: return errc::storage_failure;
  }
}

boost::system::error_code report(const evs::sqlite::error& e, const char* operation) {
  log::error("sqlite operation failed", {{"op", operation}, {"error", e.what()}});
  return classify(e.code());
}

}  // namespace

struct sqlite_event_store::writer {
  explicit writer(const std::string& path)
      // Readers never write, so only the writer's WAL writes go through the batching VFS.
      : db{path, open_mode::read_write_create, wal_write_batching_vfs()}, insert{ready(db)} {}

  // Settings and schema come first: the batch insert prepares statements on the events table.
  static connection& ready(connection& db) {
    configure_writer(db);
    migrate(db);
    return db;
  }

  connection db;
  batch_insert insert;
};

struct sqlite_event_store::reader {
  explicit reader(const std::string& path)
      : db{path, open_mode::read_only},
        by_id{db, std::string{select_columns} + " WHERE id = ?"},
        by_event_id{db, std::string{select_columns} + " WHERE event_id = ?"},
        probe{db, "SELECT count(*) FROM schema_version"} {}

  connection db;
  statement by_id;
  statement by_event_id;
  statement probe;
};

class sqlite_event_store::reader_lease {
 public:
  reader_lease(sqlite_event_store& owner, std::unique_ptr<reader> r)
      : owner_{&owner}, reader_{std::move(r)} {}
  reader_lease(reader_lease&&) = default;
  ~reader_lease() {
    if (reader_) owner_->release_reader(std::move(reader_));
  }
  reader* operator->() const { return reader_.get(); }

 private:
  sqlite_event_store* owner_;
  std::unique_ptr<reader> reader_;
};

sqlite_event_store::sqlite_event_store(const sqlite_config& config) : path_{config.path} {
  const auto parent = std::filesystem::path{path_}.parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  writer_ = std::make_unique<writer>(path_);
  for (std::size_t i = 0; i < std::max<std::size_t>(1, config.read_connections); ++i)
    idle_readers_.push_back(std::make_unique<reader>(path_));
}

sqlite_event_store::~sqlite_event_store() = default;

std::string sqlite_event_store::writer_pragma(std::string_view name) {
  const std::lock_guard lock{write_mutex_};
  return writer_->db.pragma(name);
}

sqlite_event_store::reader_lease sqlite_event_store::acquire_reader() {
  std::unique_lock lock{read_mutex_};
  reader_available_.wait(lock, [this] { return !idle_readers_.empty(); });
  auto r = std::move(idle_readers_.back());
  idle_readers_.pop_back();
  return reader_lease{*this, std::move(r)};
}

void sqlite_event_store::release_reader(std::unique_ptr<reader> r) {
  {
    const std::lock_guard lock{read_mutex_};
    idle_readers_.push_back(std::move(r));
  }
  reader_available_.notify_one();
}

result<insert_outcome> sqlite_event_store::insert(std::span<const core::new_event> events) {
  const std::lock_guard lock{write_mutex_};
  auto& w = *writer_;
  try {
    transaction tx{w.db};
    insert_outcome outcome;
    outcome.reserve(events.size());
    w.insert.run(events, outcome);
    tx.commit();
    last_write_failed_ = false;
    return outcome;
  } catch (const evs::sqlite::error& e) {
    last_write_failed_ = true;
    return report(e, "insert");
  }
}

result<core::stored_event> sqlite_event_store::get(std::int64_t id) {
  try {
    auto r = acquire_reader();
    auto& s = r->by_id;
    const reset_on_exit reset{s};
    s.bind(1, id);
    if (!s.step()) return errc::not_found;
    return read_row(s);
  } catch (const evs::sqlite::error& e) {
    return report(e, "get");
  }
}

result<core::stored_event> sqlite_event_store::get_by_event_id(std::string_view event_id) {
  try {
    auto r = acquire_reader();
    auto& s = r->by_event_id;
    const reset_on_exit reset{s};
    s.bind(1, event_id);
    if (!s.step()) return errc::not_found;
    return read_row(s);
  } catch (const evs::sqlite::error& e) {
    return report(e, "get_by_event_id");
  }
}

result<core::event_page> sqlite_event_store::list(const core::list_query& query) {
  std::string sql = select_columns;
  std::string where;
  auto add_condition = [&where](const char* condition) {
    where += where.empty() ? " WHERE " : " AND ";
    where += condition;
  };
  if (query.event_type) add_condition("event_type = ?");
  if (query.event_id) add_condition("event_id = ?");
  if (query.since_us) add_condition("received_at >= ?");
  if (query.until_us) add_condition("received_at < ?");
  if (query.after_id) add_condition("id > ?");
  sql += where;
  sql += " ORDER BY id LIMIT ?";

  try {
    auto r = acquire_reader();
    statement s{r->db, sql};
    int index = 1;
    if (query.event_type) s.bind(index++, std::string_view{*query.event_type});
    if (query.event_id) s.bind(index++, std::string_view{*query.event_id});
    if (query.since_us) s.bind(index++, *query.since_us);
    if (query.until_us) s.bind(index++, *query.until_us);
    if (query.after_id) s.bind(index++, *query.after_id);
    s.bind(index, static_cast<std::int64_t>(query.limit + 1));

    core::event_page page;
    while (s.step()) page.items.push_back(read_row(s));
    if (page.items.size() > query.limit) {
      page.items.pop_back();
      page.has_more = true;
    }
    return page;
  } catch (const evs::sqlite::error& e) {
    return report(e, "list");
  }
}

result<core::stored_event> sqlite_event_store::update(std::int64_t id,
                                                      const core::event_update& update) {
  const std::lock_guard lock{write_mutex_};
  auto& w = *writer_;
  try {
    // Begun before the statement exists, so it ends after the statement is finalized.
    transaction tx{w.db};
    statement s{w.db,
                "UPDATE events SET event_type = coalesce(?1, event_type), "
                "payload = coalesce(?2, payload), "
                "occurred_at = CASE WHEN ?3 THEN ?4 ELSE occurred_at END "
                "WHERE id = ?5 "
                "RETURNING id, event_id, event_type, payload, occurred_at, received_at"};
    if (update.event_type) s.bind(1, std::string_view{*update.event_type});
    if (update.payload_json) s.bind(2, std::string_view{*update.payload_json});
    s.bind(3, std::int64_t{update.occurred_at.has_value() ? 1 : 0});
    // Unbound, ?4 is NULL: an occurred_at set to null is cleared.
    if (update.occurred_at && *update.occurred_at)
      s.bind(4, std::string_view{**update.occurred_at});
    s.bind(5, id);
    const bool found = s.step();
    auto event = found ? read_row(s) : core::stored_event{};
    while (found && s.step()) {
    }
    s.reset();
    tx.commit();
    if (!found) return errc::not_found;
    return event;
  } catch (const evs::sqlite::error& e) {
    return report(e, "update");
  }
}

result<void> sqlite_event_store::remove(std::int64_t id) {
  const std::lock_guard lock{write_mutex_};
  auto& w = *writer_;
  try {
    statement s{w.db, "DELETE FROM events WHERE id = ?"};
    s.bind(1, id);
    s.step();
    if (w.db.changes() == 0) return errc::not_found;
    return {};
  } catch (const evs::sqlite::error& e) {
    return report(e, "remove");
  }
}

result<void> sqlite_event_store::ping() {
  try {
    auto r = acquire_reader();
    const reset_on_exit reset{r->probe};
    r->probe.step();
  } catch (const evs::sqlite::error& e) {
    return report(e, "ping");
  }
  if (::access(path_.c_str(), W_OK) != 0) return errc::storage_unavailable;
  // Writable: the write lock can be taken. After a failed commit (a full disk, say) that is not
  // enough, so a real write is committed; its success makes the instance ready again without
  // waiting for client writes, which a load balancer sends no more to an unready instance.
  const std::lock_guard lock{write_mutex_};
  auto& w = *writer_;
  try {
    transaction tx{w.db};
    if (last_write_failed_) {
      w.db.exec("UPDATE schema_version SET version = version");
      tx.commit();
    } else {
      tx.rollback();
    }
    last_write_failed_ = false;
    return {};
  } catch (const evs::sqlite::error& e) {
    return report(e, "ping");
  }
}

}  // namespace evs::storage::sqlite
