#include "propagator/spool.hpp"

#include "sqlite/migrations.hpp"
#include "sqlite/statement.hpp"
#include "sqlite/transaction.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

namespace evs::propagator {
namespace {

using sqlite::statement;
using sqlite::transaction;

// Append; never edit a released step.
constexpr sqlite::migration migrations[] = {
    // IF NOT EXISTS: spools written before schema_version was kept (marked only with
    // PRAGMA user_version = 1) already have these tables, and this step adopts them as they are.
    {1, R"sql(
CREATE TABLE IF NOT EXISTS spool(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  event_type TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  created_at_us INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS dead_letters(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  event_type TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  failed_at_us INTEGER NOT NULL,
  http_status INTEGER NOT NULL,
  response_body TEXT NOT NULL,
  reason TEXT NOT NULL);
)sql"},
};

std::string prepare_path(const std::string& path) {
  const std::filesystem::path p{path};
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
  return path;
}

std::string lock_path(const std::string& spool_path) { return spool_path + ".lock"; }

spooled_event read_event(const statement& row) {
  return {row.column_int64(0), row.column_text(1), row.column_text(2),
          row.column_text(3),  row.column_text(4), row.column_int64(5)};
}

}  // namespace

// flock, not fcntl: it is tied to this open file description, so a second owner is refused
// even within one process, and it never mixes with SQLite's POSIX locks on the database.
spool::owner_lock::owner_lock(const std::string& spool_path) {
  const auto path = lock_path(prepare_path(spool_path));
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "cannot open " + path);
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK)
      throw spool_busy(spool_path + " is in use by another event-propagator");
    throw std::system_error(error, std::generic_category(), "cannot lock " + path);
  }
}

spool::owner_lock::~owner_lock() {
  if (fd_ >= 0) ::close(fd_);
}

spool::spool(const std::string& path, std::size_t max_events, mode m)
    : lock_{m == mode::owner ? owner_lock{path} : owner_lock{}},
      db_{path,
          m == mode::owner ? sqlite::open_mode::read_write_create : sqlite::open_mode::read_only},
      max_events_{max_events} {
  if (m == mode::owner) {
    db_.set_pragma("journal_mode", "WAL");
    // FULL: a commit is on disk before we send, so a crash never forgets a sent event.
    db_.set_pragma("synchronous", "FULL");
    sqlite::migrate(db_, migrations);
  }
  pending_ = count("SELECT COUNT(*) FROM spool");
  dead_ = count("SELECT COUNT(*) FROM dead_letters");
}

spool::~spool() = default;

std::size_t spool::count(const char* sql) {
  statement stmt{db_, sql};
  stmt.step();
  return static_cast<std::size_t>(stmt.column_int64(0));
}

std::size_t spool::append(std::span<spooled_event> events) {
  const std::size_t room = max_events_ > pending_ ? max_events_ - pending_ : 0;
  const std::size_t n = std::min(room, events.size());
  if (n == 0) return 0;
  transaction tx{db_};
  statement insert{db_,
                   "INSERT INTO spool(event_id, event_type, payload_json, occurred_at, "
                   "created_at_us) VALUES(?, ?, ?, ?, ?)"};
  for (std::size_t i = 0; i < n; ++i) {
    auto& e = events[i];
    insert.bind(1, e.event_id).bind(2, e.event_type).bind(3, e.payload_json);
    insert.bind(4, e.occurred_at).bind(5, e.created_at_us);
    insert.step();
    insert.reset();
    e.seq = db_.last_insert_rowid();
  }
  tx.commit();
  pending_ += n;
  return n;
}

std::vector<spooled_event> spool::oldest(std::size_t max_events) {
  statement select{db_,
                   "SELECT seq, event_id, event_type, payload_json, occurred_at, created_at_us "
                   "FROM spool ORDER BY seq LIMIT ?"};
  select.bind(1, static_cast<std::int64_t>(max_events));
  std::vector<spooled_event> out;
  while (select.step()) out.push_back(read_event(select));
  return out;
}

void spool::remove(std::span<const spooled_event> events) {
  if (events.empty()) return;
  // Forgetting delivered events need not wait for the disk: if a crash undoes this delete,
  // the events are sent again with the same event_id and the endpoint counts them as
  // duplicates. Nothing is lost, nothing stored twice, and one fsync per batch is saved.
  // The next FULL commit (the next generated batch) syncs the WAL, this delete included.
  db_.set_pragma("synchronous", "NORMAL");
  struct restore_full_sync {
    sqlite::connection& db;
    ~restore_full_sync() {
      try {
        db.set_pragma("synchronous", "FULL");
      } catch (...) {
        // Leaves NORMAL only if the database is already failing every statement.
      }
    }
  } restore{db_};
  transaction tx{db_};
  statement del{db_, "DELETE FROM spool WHERE seq = ?"};
  std::size_t removed = 0;
  for (const auto& e : events) {
    del.bind(1, e.seq);
    del.step();
    removed += static_cast<std::size_t>(db_.changes());
    del.reset();
  }
  tx.commit();
  pending_ -= std::min(pending_, removed);
}

void spool::move_to_dead_letters(std::span<const spooled_event> events, long http_status,
                                 std::string_view response_body, std::string_view reason,
                                 std::int64_t now_us) {
  if (events.empty()) return;
  transaction tx{db_};
  statement insert{db_,
                   "INSERT OR REPLACE INTO dead_letters(event_id, event_type, payload_json, "
                   "occurred_at, created_at_us, failed_at_us, http_status, response_body, "
                   "reason) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"};
  statement del{db_, "DELETE FROM spool WHERE seq = ?"};
  std::size_t moved = 0;
  for (const auto& e : events) {
    del.bind(1, e.seq);
    del.step();
    const auto changed = db_.changes();
    del.reset();
    if (changed == 0) continue;
    ++moved;
    insert.bind(1, e.event_id).bind(2, e.event_type).bind(3, e.payload_json);
    insert.bind(4, e.occurred_at).bind(5, e.created_at_us).bind(6, now_us);
    insert.bind(7, std::int64_t{http_status}).bind(8, response_body).bind(9, reason);
    insert.step();
    insert.reset();
  }
  tx.commit();
  pending_ -= std::min(pending_, moved);
  dead_ = count("SELECT COUNT(*) FROM dead_letters");
}

std::vector<dead_letter> spool::dead_letters() {
  statement select{db_,
                   "SELECT seq, event_id, event_type, payload_json, occurred_at, created_at_us, "
                   "failed_at_us, http_status, response_body, reason FROM dead_letters "
                   "ORDER BY seq"};
  std::vector<dead_letter> out;
  while (select.step()) {
    out.push_back({read_event(select), select.column_int64(6), long{select.column_int64(7)},
                   select.column_text(8), select.column_text(9)});
  }
  return out;
}

std::size_t spool::requeue_dead_letters() {
  transaction tx{db_};
  db_.exec(
      "INSERT OR IGNORE INTO spool(event_id, event_type, payload_json, occurred_at, "
      "created_at_us) SELECT event_id, event_type, payload_json, occurred_at, created_at_us "
      "FROM dead_letters ORDER BY seq");
  const auto moved = static_cast<std::size_t>(db_.changes());
  db_.exec("DELETE FROM dead_letters");
  tx.commit();
  pending_ = count("SELECT COUNT(*) FROM spool");
  dead_ = 0;
  return moved;
}

}  // namespace evs::propagator
