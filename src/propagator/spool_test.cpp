#include "propagator/spool.hpp"

#include "sqlite/error.hpp"
#include "sqlite/migrations.hpp"
#include "sqlite/statement.hpp"
#include "support/propagator_fakes.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

namespace evs::propagator {
namespace {

using test::temp_dir;

std::vector<spooled_event> make_events(std::size_t n, const std::string& prefix = "e") {
  std::vector<spooled_event> out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back({0, prefix + std::to_string(i), "message", "\"hi " + std::to_string(i) + "\"",
                   "2024-05-01T12:30:00.000001Z", static_cast<std::int64_t>(i)});
  return out;
}

std::vector<std::string> ids(const std::vector<spooled_event>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.event_id);
  return out;
}

TEST(Spool, CreatesItsFolderAndStartsEmpty) {
  temp_dir dir;
  const auto path = (dir / "a" / "b" / "spool.db").string();
  spool s{path, 100};
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(s.pending(), 0U);
  EXPECT_EQ(s.dead_letter_count(), 0U);
  EXPECT_TRUE(s.oldest(10).empty());
}

// synchronous is per connection: only the spool's own connection shows that its commits are
// synced before the events are sent, and that remove() (which relaxes it) puts it back.
TEST(Spool, UsesWalAndFullSync) {
  temp_dir dir;
  const auto path = (dir / "spool.db").string();
  spool s{path, 100};
  EXPECT_EQ(s.pragma("journal_mode"), "wal");
  EXPECT_EQ(s.pragma("synchronous"), "2");  // FULL
  auto events = make_events(2);
  s.append(events);
  s.remove(s.oldest(1));
  EXPECT_EQ(s.pragma("synchronous"), "2") << "remove() left the relaxed setting behind";
  sqlite::connection other{path, sqlite::open_mode::read_only};
  EXPECT_EQ(other.pragma("journal_mode"), "wal");
}

TEST(Spool, KeepsEventsAcrossReopenOldestFirst) {
  temp_dir dir;
  const auto path = (dir / "spool.db").string();
  {
    spool s{path, 100};
    auto first = make_events(3, "a");
    auto second = make_events(2, "b");
    EXPECT_EQ(s.append(first), 3U);
    EXPECT_EQ(s.append(second), 2U);
    EXPECT_LT(first[2].seq, second[0].seq);
  }
  spool s{path, 100};
  EXPECT_EQ(s.pending(), 5U);
  const auto oldest = s.oldest(4);
  EXPECT_EQ(ids(oldest), (std::vector<std::string>{"a0", "a1", "a2", "b0"}));
  EXPECT_EQ(oldest[1].payload_json, "\"hi 1\"");
  EXPECT_EQ(oldest[1].occurred_at, "2024-05-01T12:30:00.000001Z");
  EXPECT_EQ(oldest[1].event_type, "message");
}

TEST(Spool, RemovesOnlyWhatWasAcknowledged) {
  temp_dir dir;
  const auto path = (dir / "spool.db").string();
  {
    spool s{path, 100};
    auto events = make_events(5);
    s.append(events);
    const auto batch = s.oldest(2);
    s.remove(batch);
    EXPECT_EQ(s.pending(), 3U);
    s.remove(batch);  // a second ack of the same events changes nothing
    EXPECT_EQ(s.pending(), 3U);
  }
  spool s{path, 100};
  EXPECT_EQ(ids(s.oldest(10)), (std::vector<std::string>{"e2", "e3", "e4"}));
}

TEST(Spool, IsBounded) {
  temp_dir dir;
  spool s{(dir / "spool.db").string(), 4};
  auto three = make_events(3, "a");
  EXPECT_EQ(s.append(three), 3U);
  EXPECT_FALSE(s.full());
  auto more = make_events(3, "b");
  EXPECT_EQ(s.append(more), 1U);  // one place left
  EXPECT_TRUE(s.full());
  auto rejected = make_events(1, "c");
  EXPECT_EQ(s.append(rejected), 0U);
  EXPECT_EQ(ids(s.oldest(10)), (std::vector<std::string>{"a0", "a1", "a2", "b0"}));
  s.remove(s.oldest(1));
  EXPECT_FALSE(s.full());
}

TEST(Spool, DeadLettersKeepStatusBodyAndEvent) {
  temp_dir dir;
  const auto path = (dir / "spool.db").string();
  {
    spool s{path, 100};
    auto events = make_events(3);
    s.append(events);
    const auto batch = s.oldest(2);
    s.move_to_dead_letters(batch, 422, R"({"detail":[]})", "rejected", 1234);
    EXPECT_EQ(s.pending(), 1U);
    EXPECT_EQ(s.dead_letter_count(), 2U);
  }
  spool s{path, 100, spool::mode::reader};
  const auto letters = s.dead_letters();
  ASSERT_EQ(letters.size(), 2U);
  EXPECT_EQ(letters[0].event.event_id, "e0");
  EXPECT_EQ(letters[0].event.payload_json, "\"hi 0\"");
  EXPECT_EQ(letters[0].http_status, 422);
  EXPECT_EQ(letters[0].response_body, R"({"detail":[]})");
  EXPECT_EQ(letters[0].reason, "rejected");
  EXPECT_EQ(letters[0].failed_at_us, 1234);
  EXPECT_EQ(ids(s.oldest(10)), (std::vector<std::string>{"e2"}));
}

TEST(Spool, RequeuedDeadLettersKeepTheirIdAndGoLast) {
  temp_dir dir;
  spool s{(dir / "spool.db").string(), 100};
  auto events = make_events(3);
  s.append(events);
  s.move_to_dead_letters(s.oldest(1), 401, "{}", "rejected", 1);
  EXPECT_EQ(s.requeue_dead_letters(), 1U);
  EXPECT_EQ(s.dead_letter_count(), 0U);
  EXPECT_EQ(s.pending(), 3U);
  EXPECT_EQ(ids(s.oldest(10)), (std::vector<std::string>{"e1", "e2", "e0"}));
}

TEST(Spool, OneOwnerAtATime) {
  temp_dir dir;
  const auto path = (dir / "spool.db").string();
  spool owner{path, 100};
  EXPECT_THROW((spool{path, 100}), spool_busy);
  spool reader{path, 100, spool::mode::reader};  // --dead-letters works while running
  EXPECT_EQ(reader.pending(), 0U);
}

// Runs `check` in a child process (its own POSIX locks, its own descriptors) and returns the
// child's exit code.
template <class F>
int in_child(F check) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::alarm(10);  // never hang the suite
    ::_exit(check());
  }
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

bool can_flock(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool locked = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
  ::close(fd);
  return locked;
}

TEST(Spool, TheOwnerLockIsAFileOfItsOwn) {
  temp_dir dir;
  const auto path = (dir / "spool.db").string();
  const auto lock = path + ".lock";
  {
    spool owner{path, 100};
    ASSERT_TRUE(std::filesystem::exists(lock));
    EXPECT_EQ(in_child([&] { return can_flock(lock) ? 0 : 1; }), 1) << "the owner holds it";
    // Only SQLite opens the database file: a close() of any other descriptor of it would drop
    // SQLite's POSIX locks along with ours.
    EXPECT_EQ(in_child([&] { return can_flock(path) ? 0 : 1; }), 0);
  }
  EXPECT_TRUE(can_flock(lock)) << "released with the spool";
  spool next{path, 100};
}

TEST(Spool, TheOwnerLockOutlivesTheDatabaseConnection) {
  temp_dir dir;
  const auto path = (dir / "spool.db").string();
  const auto lock = path + ".lock";
  const auto wal = path + "-wal";
  auto owner = std::make_unique<spool>(path, 100);
  auto events = make_events(50);
  owner->append(events);
  ASSERT_TRUE(std::filesystem::exists(wal));
  const int fd = ::open(lock.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::alarm(10);
    // A forked copy of the owner's descriptor would keep its flock alive: keep only ours.
    for (int other = 3; other < 1024; ++other)
      if (other != fd) ::close(other);
    // Blocks until the owner lets go; by then SQLite has closed the database, and closing
    // its last connection checkpoints and removes the WAL file.
    if (::flock(fd, LOCK_EX) != 0) ::_exit(3);
    ::_exit(::access(wal.c_str(), F_OK) == 0 ? 1 : 0);
  }
  ::close(fd);
  ASSERT_GT(pid, 0);
  ::usleep(50'000);  // let the child queue up on the lock
  owner.reset();
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the lock was free while the database was still open";
}

TEST(Spool, DuplicateEventIdIsRefusedWhole) {
  temp_dir dir;
  const auto path = (dir / "spool.db").string();
  {
    spool s{path, 100};
    auto events = make_events(2);
    s.append(events);
    auto again = make_events(3, "e");
    std::swap(again[0], again[2]);  // a new e2 first, then e1 and e0 again
    try {
      s.append(again);
      FAIL() << "stored an event_id twice";
    } catch (const sqlite::error& e) {
      EXPECT_EQ(e.extended_code(), SQLITE_CONSTRAINT_UNIQUE);
    }
    EXPECT_EQ(s.pending(), 2U);
  }
  spool s{path, 100};
  EXPECT_EQ(ids(s.oldest(10)), (std::vector<std::string>{"e0", "e1"}));
}

// A spool written before the schema had a version table (tables created with IF NOT EXISTS,
// marked only with PRAGMA user_version = 1) opens with its events and dead letters. The SQL is
// a copy of that release's on purpose: it must keep describing files already on disks when
// the migration steps move on.
TEST(Spool, OpensASpoolFromBeforeSchemaVersions) {
  temp_dir dir;
  const auto path = (dir / "spool.db").string();
  {
    sqlite::connection old{path, sqlite::open_mode::read_write_create};
    old.exec(R"sql(
      PRAGMA journal_mode=WAL;
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
      INSERT INTO spool(event_id, event_type, payload_json, occurred_at, created_at_us)
        VALUES ('pending-1', 'message', '"old"', '2024-05-01T12:30:00Z', 5);
      INSERT INTO dead_letters(event_id, event_type, payload_json, occurred_at, created_at_us,
                               failed_at_us, http_status, response_body, reason)
        VALUES ('dead-1', 'message', '"bad"', '2024-05-01T12:30:00Z', 3, 4, 422, '{}', 'rejected');
    )sql");
  }
  {
    spool reader{path, 100, spool::mode::reader};  // reads it as it is, without migrating
    EXPECT_EQ(reader.pending(), 1U);
  }
  spool s{path, 100};
  EXPECT_EQ(s.pending(), 1U);
  EXPECT_EQ(s.dead_letter_count(), 1U);
  const auto oldest = s.oldest(10);
  ASSERT_EQ(oldest.size(), 1U);
  EXPECT_EQ(oldest[0].event_id, "pending-1");
  EXPECT_EQ(oldest[0].payload_json, "\"old\"");
  EXPECT_EQ(s.dead_letters().at(0).event.event_id, "dead-1");
  auto events = make_events(1);
  EXPECT_EQ(s.append(events), 1U);
  EXPECT_GT(events[0].seq, oldest[0].seq);
  sqlite::connection db{path, sqlite::open_mode::read_only};
  EXPECT_EQ(sqlite::schema_version(db), 1);
}

TEST(Spool, RecordsItsSchemaVersion) {
  temp_dir dir;
  const auto path = (dir / "spool.db").string();
  { spool s{path, 100}; }
  { spool again{path, 100}; }  // reopening applies nothing twice
  sqlite::connection db{path, sqlite::open_mode::read_only};
  EXPECT_EQ(sqlite::schema_version(db), 1);
  sqlite::statement rows{db, "SELECT count(*) FROM schema_version"};
  ASSERT_TRUE(rows.step());
  EXPECT_EQ(rows.column_int64(0), 1);
}

}  // namespace
}  // namespace evs::propagator
