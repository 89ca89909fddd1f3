// The MariaDB store's two dialects on real servers: which one a new database gets, that a
// database keeps its own whatever a later store asks, and that the portable path tells
// duplicates apart across two stores, both where it is forced (MariaDB, scripts/with-mariadb)
// and where the store chooses it by itself (MySQL, scripts/with-mysql).
#include "storage/mariadb/mariadb_connection.hpp"
#include "storage/store_factory.hpp"
#include "support/backends.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <numeric>
#include <random>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace evs::test {
namespace {

using namespace std::chrono_literals;
using storage::mariadb_dialect;

core::new_event event(std::string event_id) {
  return {std::move(event_id), "dialect.test", R"({"n":1})", std::nullopt, 1'000};
}

std::vector<core::new_event> events(std::initializer_list<const char*> event_ids) {
  std::vector<core::new_event> out;
  for (const char* id : event_ids) out.push_back(event(id));
  return out;
}

backend backend_named(std::string_view name) {
  for (auto& b : all_backends())
    if (b.name == name) return b;
  throw std::runtime_error("no backend " + std::string{name});
}

// A private database on one server, stores on it and a connection of our own to look inside.
class dialect_database {
 public:
  explicit dialect_database(const backend& b) : db_{b} {}

  // A store on the database, asking for `asked` (which only a new database follows).
  std::unique_ptr<storage::event_store> open(mariadb_dialect asked) const {
    auto config = std::get<storage::mariadb_config>(db_.config());
    config.dialect = asked;
    return storage::open_event_store(config);
  }

  // A connection as the store opens them, with the session settings it makes.
  storage::mariadb::connection connect(std::chrono::seconds timeout = 10s) const {
    const auto& c = std::get<storage::mariadb_config>(db_.config());
    return storage::mariadb::connection{{.host = c.host,
                                         .port = c.port,
                                         .user = c.user,
                                         .password = c.password,
                                         .database = c.database,
                                         .timeout = timeout}};
  }

  // The database's tables and sequences, as the server lists them.
  std::set<std::string> tables() const {
    auto conn = connect();
    auto rows = conn.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()");
    std::set<std::string> names;
    while (rows.next()) names.emplace(rows.text(0));
    return names;
  }

 private:
  test_database db_;
};

class MariadbDialect : public ::testing::Test {
 protected:
  std::unique_ptr<storage::event_store> open(mariadb_dialect asked) { return db_.open(asked); }
  std::set<std::string> tables() { return db_.tables(); }

  dialect_database db_{backend_named("mariadb")};
};

TEST_F(MariadbDialect, AutomaticOnMariadbCreatesASequence) {
  const auto store = open(mariadb_dialect::automatic);
  const auto names = tables();
  EXPECT_TRUE(names.contains("events_id_seq")) << "MariaDB 10.5+ gets the native dialect";
  EXPECT_FALSE(names.contains("events_id_counter"));
}

TEST_F(MariadbDialect, ANativeDatabaseStaysNativeWhenOpenedPortable) {
  std::int64_t last = 0;
  {
    const auto native = open(mariadb_dialect::native);
    const auto stored = native->insert(events({"a", "b"}));
    ASSERT_TRUE(stored) << stored.error().message();
    last = *(*stored)[1];
  }
  const auto store = open(mariadb_dialect::portable);
  const auto names = tables();
  EXPECT_TRUE(names.contains("events_id_seq"));
  EXPECT_FALSE(names.contains("events_id_counter")) << "a second id source would reuse ids";
  const auto outcome = store->insert(events({"b", "c"}));
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_FALSE((*outcome)[0]) << "b was stored before";
  ASSERT_TRUE((*outcome)[1]);
  EXPECT_GT(*(*outcome)[1], last) << "ids go on from the sequence";
}

TEST_F(MariadbDialect, APortableDatabaseStaysPortableWhenOpenedNative) {
  { ASSERT_TRUE(open(mariadb_dialect::portable)->insert(events({"a", "b"}))); }
  const auto store = open(mariadb_dialect::native);
  const auto names = tables();
  EXPECT_TRUE(names.contains("events_id_counter"));
  EXPECT_FALSE(names.contains("events_id_seq"));
  const auto outcome = store->insert(events({"c", "a"}));
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ((*outcome)[0], 3) << "ids go on from the counter";
  EXPECT_FALSE((*outcome)[1]) << "a was stored before";
}

// Where the portable dialect runs: forced on MariaDB, and on MySQL, which lacks sequences and
// INSERT ... RETURNING, chosen by the store itself.
struct portable_server {
  std::string name;  // the instance's name
  std::string backend;
  mariadb_dialect asked;
};
std::ostream& operator<<(std::ostream& os, const portable_server& s) { return os << s.name; }

class PortableDialect : public ::testing::TestWithParam<portable_server> {
 protected:
  std::unique_ptr<storage::event_store> open() { return db_.open(GetParam().asked); }

  dialect_database db_{backend_named(GetParam().backend)};
};

TEST_P(PortableDialect, CreatesACounterAndNoSequence) {
  const auto store = open();
  const auto names = db_.tables();
  EXPECT_TRUE(names.contains("events_id_counter"));
  EXPECT_FALSE(names.contains("events_id_seq"));

  // Ids come from the counter, in request order, with no gaps when nothing fails.
  const auto first = store->insert(events({"c", "a", "b"}));
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_EQ((*first)[0], 1);
  EXPECT_EQ((*first)[1], 2);
  EXPECT_EQ((*first)[2], 3);
  const auto second = store->insert(events({"d"}));
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ((*second)[0], 4);
}

TEST_P(PortableDialect, TwoStoresTellDuplicatesApart) {
  const auto first = open();
  const auto second = open();
  const auto a = first->insert(events({"x", "y"}));
  ASSERT_TRUE(a) << a.error().message();

  // Stored by the other store, new, repeated within the batch, new.
  const auto b = second->insert(events({"y", "z", "y", "w"}));
  ASSERT_TRUE(b) << b.error().message();
  ASSERT_EQ(b->size(), 4U);
  EXPECT_FALSE((*b)[0]);
  ASSERT_TRUE((*b)[1]);
  EXPECT_FALSE((*b)[2]);
  ASSERT_TRUE((*b)[3]);
  EXPECT_LT(*(*b)[1], *(*b)[3]) << "ids follow the request order";
  for (const auto i : {1U, 3U}) {
    const auto stored = first->get(*(*b)[i]);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->event_id, i == 1 ? "z" : "w") << "the id returned is the stored row's";
  }
  const auto c = first->insert(events({"w", "v"}));
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_FALSE((*c)[0]) << "w was stored through the other store";
  EXPECT_TRUE((*c)[1]);

  const auto d = second->insert(events({"x", "v"}));
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_FALSE((*d)[0]) << "a batch of duplicates only";
  EXPECT_FALSE((*d)[1]) << "a batch of duplicates only";
  EXPECT_EQ(list_all(*second).size(), 5U) << "x, y, z, w, v";
}

TEST_P(PortableDialect, TwoStoresRacingOnTheSameEventIdsStoreEachOnce) {
  const auto first = open();
  const auto second = open();
  // Both send the same 300 event_ids at once, in batches of 100, one from the end.
  std::vector<core::new_event> all;
  for (int i = 0; i < 300; ++i) all.push_back(event("race-" + std::to_string(1000 + i)));
  std::vector<std::int64_t> accepted[2];
  std::vector<std::string> failures[2];
  const auto send = [&](storage::event_store& store, int side) {
    for (int b = 0; b < 3; ++b) {
      const int batch = side == 0 ? b : 2 - b;
      const std::span<const core::new_event> part{all.data() + 100 * batch, 100};
      const auto outcome = store.insert(part);
      if (!outcome) {
        failures[side].push_back(outcome.error().message());
        continue;
      }
      for (const auto& id : *outcome)
        if (id) accepted[side].push_back(*id);
    }
  };
  {
    std::jthread other{[&] { send(*second, 1); }};
    send(*first, 0);
  }
  ASSERT_TRUE(failures[0].empty() && failures[1].empty());
  EXPECT_EQ(accepted[0].size() + accepted[1].size(), all.size()) << "each event accepted once";
  std::set<std::int64_t> ids{accepted[0].begin(), accepted[0].end()};
  ids.insert(accepted[1].begin(), accepted[1].end());
  const auto stored = list_all(*first);
  ASSERT_EQ(stored.size(), all.size());
  for (const auto& e : stored) EXPECT_TRUE(ids.contains(e.id)) << e.event_id;
}

TEST_P(PortableDialect, WritersOnOverlappingEventIdsAreNeverTurnedAway) {
  // Four writers on each of two stores send the same event_ids, half in order, half shuffled:
  // the lock waits and deadlocks this causes are the store's to resolve, never the client's
  // (a 503 asks the client to come back later).
  const auto stores = std::array{open(), open()};
  constexpr int event_count = 1000;
  constexpr std::size_t batch_size = 50;
  std::mutex mutex;
  std::vector<std::string> failures;
  std::map<std::string, int> times_accepted;
  {
    std::vector<std::jthread> writers;
    for (unsigned w = 0; w < 8; ++w) {
      writers.emplace_back([&, w] {
        std::vector<int> order(event_count);
        std::iota(order.begin(), order.end(), 0);
        if (w % 4 >= 2) std::shuffle(order.begin(), order.end(), std::mt19937{w});
        for (std::size_t start = 0; start < order.size(); start += batch_size) {
          std::vector<core::new_event> batch;
          for (std::size_t i = start; i < start + batch_size; ++i)
            batch.push_back(event("overlap-" + std::to_string(order[i])));
          const auto outcome = stores[w % 2]->insert(batch);
          const std::lock_guard lock{mutex};
          if (!outcome) {
            failures.push_back(outcome.error().message());
            continue;
          }
          for (std::size_t i = 0; i < batch.size(); ++i)
            if ((*outcome)[i]) ++times_accepted[batch[i].event_id];
        }
      });
    }
  }
  EXPECT_TRUE(failures.empty()) << failures.size()
                                << " inserts failed, first: " << failures.front();
  EXPECT_EQ(times_accepted.size(), static_cast<std::size_t>(event_count));
  for (const auto& [event_id, count] : times_accepted)
    EXPECT_EQ(count, 1) << event_id << " accepted " << count << " times";
  EXPECT_EQ(list_all(*stores[0]).size(), static_cast<std::size_t>(event_count));
}

INSTANTIATE_TEST_SUITE_P(
    Servers, PortableDialect,
    ::testing::Values(portable_server{"mariadb_forced", "mariadb", mariadb_dialect::portable},
                      portable_server{"mysql", "mysql", mariadb_dialect::automatic}),
    [](const auto& param_info) { return param_info.param.name; });

class MysqlDialect : public ::testing::Test {
 protected:
  dialect_database db_{backend_named("mysql")};
};

TEST_F(MysqlDialect, TheNativeDialectAskedOfMysqlIsRefusedSayingWhy) {
  try {
    db_.open(mariadb_dialect::native);
    FAIL() << "a store opened in the native dialect on MySQL";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string{e.what()}.find("needs MariaDB 10.5 or later"), std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(db_.tables().contains("events")) << "nothing created";
}

TEST_F(MysqlDialect, TextColumnsGetMysqlsBinaryNoPadCollation) {
  const auto store = db_.open(mariadb_dialect::automatic);
  auto conn = db_.connect();
  auto rows = conn.query(
      "SELECT column_name, collation_name FROM information_schema.columns "
      "WHERE table_schema = DATABASE() AND table_name = 'events' AND collation_name IS NOT NULL "
      "ORDER BY column_name");
  std::vector<std::string> columns;
  while (rows.next()) {
    columns.emplace_back(rows.text(0));
    EXPECT_EQ(rows.text(1), "utf8mb4_0900_bin") << rows.text(0);
  }
  EXPECT_EQ(columns, (std::vector<std::string>{"event_type", "occurred_at", "payload"}));

  // NO PAD: an event type with a trailing space is another type.
  core::new_event padded = event("padded");
  padded.event_type = "dialect.test ";
  ASSERT_TRUE(store->insert(events({"plain"})));
  ASSERT_TRUE(store->insert(std::span<const core::new_event>{&padded, 1}));
  core::list_query query;
  query.event_type = "dialect.test";
  const auto page = store->list(query);
  ASSERT_TRUE(page) << page.error().message();
  ASSERT_EQ(page->items.size(), 1U);
  EXPECT_EQ(page->items[0].event_id, "plain");
}

TEST_F(MysqlDialect, SessionsGetMysqlsStatementTimeoutAndReadCommitted) {
  // MariaDB's max_statement_time is unknown to MySQL: the connection would fail to set it up.
  auto conn = db_.connect(7s);
  auto rows = conn.query(
      "SELECT @@SESSION.max_execution_time, @@SESSION.innodb_lock_wait_timeout, "
      "@@SESSION.transaction_isolation");
  ASSERT_TRUE(rows.next());
  EXPECT_EQ(rows.int64(0), 7000) << "milliseconds";
  EXPECT_EQ(rows.int64(1), 7);
  EXPECT_EQ(rows.text(2), "READ-COMMITTED") << "no gap locks beside duplicates";
  EXPECT_FALSE(conn.server().mariadb) << conn.server().description;
}

}  // namespace
}  // namespace evs::test
