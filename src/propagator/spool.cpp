#include "propagator/spool.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace evs::propagator {
namespace {

constexpr const char* schema = R"sql(
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
PRAGMA user_version = 1;
)sql";

std::string prepare_path(const std::string& path) {
  const std::filesystem::path p{path};
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
  return path;
}

std::string lock_path(const std::string& spool_path) { return spool_path + ".lock"; }

spooled_event read_event(const sqlite_stmt& row) {
  return {row.int64_at(0), row.text_at(1), row.text_at(2),
          row.text_at(3),  row.text_at(4), row.int64_at(5)};
}

}  // namespace

// flock, not fcntl: it is tied to this open file description, so a second owner is refused
// even within one process, and it never mixes with SQLite's POSIX locks on the database.
spool::owner_lock::owner_lock(const std::string& spool_path) {
  const auto path = lock_path(prepare_path(spool_path));
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw sqlite_error("cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK)
      throw spool_busy(spool_path + " is in use by another event-propagator");
    throw sqlite_error("cannot lock " + path + ": " + std::strerror(error));
  }
}

spool::owner_lock::~owner_lock() {
  if (fd_ >= 0) ::close(fd_);
}

spool::spool(const std::string& path, std::size_t max_events, mode m)
    : lock_{m == mode::owner ? owner_lock{path} : owner_lock{}},
      db_{path,
          m == mode::owner ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY},
      max_events_{max_events} {
  if (m == mode::owner) {
    // FULL: a commit is on disk before we send, so a crash never forgets a sent event.
    db_.exec("PRAGMA journal_mode=WAL");
    db_.exec("PRAGMA synchronous=FULL");
    db_.exec(schema);
  }
  pending_ = count("SELECT COUNT(*) FROM spool");
  dead_ = count("SELECT COUNT(*) FROM dead_letters");
}

spool::~spool() = default;

std::size_t spool::count(const char* sql) {
  sqlite_stmt stmt{db_, sql};
  stmt.step();
  return static_cast<std::size_t>(stmt.int64_at(0));
}

std::size_t spool::append(std::span<spooled_event> events) {
  const std::size_t room = max_events_ > pending_ ? max_events_ - pending_ : 0;
  const std::size_t n = std::min(room, events.size());
  if (n == 0) return 0;
  sqlite_transaction tx{db_};
  sqlite_stmt insert{db_,
                     "INSERT INTO spool(event_id, event_type, payload_json, occurred_at, "
                     "created_at_us) VALUES(?, ?, ?, ?, ?)"};
  for (std::size_t i = 0; i < n; ++i) {
    auto& e = events[i];
    insert.bind(1, e.event_id).bind(2, e.event_type).bind(3, e.payload_json);
    insert.bind(4, e.occurred_at).bind(5, e.created_at_us);
    insert.step();
    insert.reset();
    e.seq = sqlite3_last_insert_rowid(db_.get());
  }
  tx.commit();
  pending_ += n;
  return n;
}

std::vector<spooled_event> spool::oldest(std::size_t max_events) {
  sqlite_stmt select{db_,
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
  db_.exec("PRAGMA synchronous=NORMAL");
  struct restore_full_sync {
    sqlite_db& db;
    ~restore_full_sync() {
      try {
        db.exec("PRAGMA synchronous=FULL");
      } catch (...) {
        // Leaves NORMAL only if the database is already failing every statement.
      }
    }
  } restore{db_};
  sqlite_transaction tx{db_};
  sqlite_stmt del{db_, "DELETE FROM spool WHERE seq = ?"};
  std::size_t removed = 0;
  for (const auto& e : events) {
    del.bind(1, e.seq);
    del.step();
    removed += static_cast<std::size_t>(sqlite3_changes(db_.get()));
    del.reset();
  }
  tx.commit();
  pending_ -= std::min(pending_, removed);
}

void spool::move_to_dead_letters(std::span<const spooled_event> events, long http_status,
                                 std::string_view response_body, std::string_view reason,
                                 std::int64_t now_us) {
  if (events.empty()) return;
  sqlite_transaction tx{db_};
  sqlite_stmt insert{db_,
                     "INSERT OR REPLACE INTO dead_letters(event_id, event_type, payload_json, "
                     "occurred_at, created_at_us, failed_at_us, http_status, response_body, "
                     "reason) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"};
  sqlite_stmt del{db_, "DELETE FROM spool WHERE seq = ?"};
  std::size_t moved = 0;
  for (const auto& e : events) {
    del.bind(1, e.seq);
    del.step();
    const auto changed = sqlite3_changes(db_.get());
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
  sqlite_stmt select{db_,
                     "SELECT seq, event_id, event_type, payload_json, occurred_at, created_at_us, "
                     "failed_at_us, http_status, response_body, reason FROM dead_letters "
                     "ORDER BY seq"};
  std::vector<dead_letter> out;
  while (select.step()) {
    out.push_back({read_event(select), select.int64_at(6), long{select.int64_at(7)},
                   select.text_at(8), select.text_at(9)});
  }
  return out;
}

std::size_t spool::requeue_dead_letters() {
  sqlite_transaction tx{db_};
  db_.exec(
      "INSERT OR IGNORE INTO spool(event_id, event_type, payload_json, occurred_at, "
      "created_at_us) SELECT event_id, event_type, payload_json, occurred_at, created_at_us "
      "FROM dead_letters ORDER BY seq");
  const auto moved = static_cast<std::size_t>(sqlite3_changes(db_.get()));
  db_.exec("DELETE FROM dead_letters");
  tx.commit();
  pending_ = count("SELECT COUNT(*) FROM spool");
  dead_ = 0;
  return moved;
}

}  // namespace evs::propagator
