// The MariaDB store's two dialects on the real server of scripts/with-mariadb: which one a new
// database gets, that a database keeps its own whatever a later store asks, and that the
// portable path (the one MySQL 8 gets) tells duplicates apart across two stores.
#include "storage/mariadb/mariadb_connection.hpp"
#include "storage/store_factory.hpp"
#include "support/backends.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace evs::test {
namespace {

using storage::mariadb_dialect;

core::new_event event(std::string event_id) {
  return {std::move(event_id), "dialect.test", R"({"n":1})", std::nullopt, 1'000};
}

std::vector<core::new_event> events(std::initializer_list<const char*> event_ids) {
  std::vector<core::new_event> out;
  for (const char* id : event_ids) out.push_back(event(id));
  return out;
}

backend mariadb_backend() {
  for (auto& b : all_backends())
    if (b.name == "mariadb") return b;
  throw std::runtime_error("no mariadb backend");
}

class MariadbDialect : public ::testing::Test {
 protected:
  // A store on the test database, asking for `asked` (which only a new database follows).
  std::unique_ptr<storage::event_store> open(mariadb_dialect asked) {
    auto config = std::get<storage::mariadb_config>(db_.config());
    config.dialect = asked;
    return storage::open_event_store(config);
  }

  // The database's tables and sequences, as the server lists them.
  std::set<std::string> tables() {
    const auto& c = std::get<storage::mariadb_config>(db_.config());
    storage::mariadb::connection conn{{.host = c.host,
                                       .port = c.port,
                                       .user = c.user,
                                       .password = c.password,
                                       .database = c.database}};
    auto rows = conn.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()");
    std::set<std::string> names;
    while (rows.next()) names.emplace(rows.text(0));
    return names;
  }

  test_database db_{mariadb_backend()};
};

TEST_F(MariadbDialect, AutomaticOnMariadbCreatesASequence) {
  const auto store = open(mariadb_dialect::automatic);
  const auto names = tables();
  EXPECT_TRUE(names.contains("events_id_seq")) << "MariaDB 10.5+ gets the native dialect";
  EXPECT_FALSE(names.contains("events_id_counter"));
}

TEST_F(MariadbDialect, ForcedPortableCreatesACounterAndNoSequence) {
  const auto store = open(mariadb_dialect::portable);
  const auto names = tables();
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

TEST_F(MariadbDialect, TwoPortableStoresTellDuplicatesApart) {
  const auto first = open(mariadb_dialect::portable);
  const auto second = open(mariadb_dialect::portable);
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

TEST_F(MariadbDialect, TwoPortableStoresRacingOnTheSameEventIdsStoreEachOnce) {
  const auto first = open(mariadb_dialect::portable);
  const auto second = open(mariadb_dialect::portable);
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

}  // namespace
}  // namespace evs::test
