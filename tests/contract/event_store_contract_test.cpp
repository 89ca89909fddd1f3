// The storage contract: every event_store backend passes this one suite. A backend is added
// by one line in all_backends() (tests/support/backends.hpp).
#include "storage/store_factory.hpp"
#include "support/backends.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

namespace evs::test {
namespace {

using core::new_event;

new_event make_event(std::string event_id, std::string type = "contract.test",
                     std::string payload = R"({"n":1})", std::int64_t received_at_us = 1'000) {
  return new_event{std::move(event_id), std::move(type), std::move(payload), std::nullopt,
                   received_at_us};
}

class EventStoreContract : public ::testing::TestWithParam<backend> {
 protected:
  void SetUp() override {
    try {
      db_ = std::make_unique<test_database>(GetParam());
      store_ = storage::open_event_store(db_->config());
    } catch (const std::exception& e) {
      FAIL() << "backend " << GetParam().name << " is not available: " << e.what();
    }
  }

  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  std::vector<std::int64_t> insert_all(const std::vector<new_event>& events) {
    const auto outcome = store_->insert(events);
    EXPECT_TRUE(outcome) << outcome.error().message();
    std::vector<std::int64_t> ids;
    if (!outcome) return ids;
    for (const auto& id : *outcome) {
      EXPECT_TRUE(id.has_value());
      if (id) ids.push_back(*id);
    }
    return ids;
  }

  std::vector<core::stored_event> list_all(core::list_query q = {}) {
    q.limit = 1000;
    const auto page = store_->list(q);
    EXPECT_TRUE(page) << page.error().message();
    return page ? page->items : std::vector<core::stored_event>{};
  }

  std::unique_ptr<test_database> db_;
  std::unique_ptr<storage::event_store> store_;
};

std::vector<std::string> event_ids(const std::vector<core::stored_event>& items) {
  std::vector<std::string> out;
  for (const auto& e : items) out.push_back(e.event_id);
  return out;
}

TEST_P(EventStoreContract, InsertReturnsIncreasingIdsInRequestOrder) {
  const auto ids = insert_all({make_event("a"), make_event("b"), make_event("c")});
  ASSERT_EQ(ids.size(), 3U);
  EXPECT_LT(ids[0], ids[1]);
  EXPECT_LT(ids[1], ids[2]);
  const auto more = insert_all({make_event("d")});
  ASSERT_EQ(more.size(), 1U);
  EXPECT_GT(more[0], ids[2]);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto e = store_->get(ids[i]);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->event_id, std::string(1, static_cast<char>('a' + i)));
  }
}

TEST_P(EventStoreContract, StoresEveryField) {
  auto event = make_event("all-fields", "order.created", R"({"order":42})", 1'714'566'600'123'456);
  event.occurred_at = "2024-05-01T12:30:00Z";
  const auto ids = insert_all({event});
  ASSERT_EQ(ids.size(), 1U);
  const auto stored = store_->get(ids[0]);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->id, ids[0]);
  EXPECT_EQ(stored->event_id, "all-fields");
  EXPECT_EQ(stored->event_type, "order.created");
  EXPECT_EQ(stored->payload_json, R"({"order":42})");
  EXPECT_EQ(stored->occurred_at, "2024-05-01T12:30:00Z");
  EXPECT_EQ(stored->received_at_us, 1'714'566'600'123'456);
}

TEST_P(EventStoreContract, DuplicateOfAStoredEventIsReportedAndNotStoredAgain) {
  insert_all({make_event("dup", "first", R"("first")")});
  const auto outcome = store_->insert(std::vector{make_event("dup", "second", R"("second")")});
  ASSERT_TRUE(outcome) << outcome.error().message();
  ASSERT_EQ(outcome->size(), 1U);
  EXPECT_FALSE(outcome->front().has_value());
  const auto items = list_all();
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].event_type, "first");
  EXPECT_EQ(items[0].payload_json, R"("first")");
}

TEST_P(EventStoreContract, DuplicateWithinOneInsertIsStoredOnce) {
  const auto outcome = store_->insert(std::vector{make_event("x", "one"), make_event("y"),
                                                  make_event("x", "two"), make_event("y")});
  ASSERT_TRUE(outcome) << outcome.error().message();
  ASSERT_EQ(outcome->size(), 4U);
  EXPECT_TRUE((*outcome)[0].has_value());
  EXPECT_TRUE((*outcome)[1].has_value());
  EXPECT_FALSE((*outcome)[2].has_value());
  EXPECT_FALSE((*outcome)[3].has_value());
  const auto items = list_all();
  EXPECT_EQ(event_ids(items), (std::vector<std::string>{"x", "y"}));
  const auto x = store_->get_by_event_id("x");
  ASSERT_TRUE(x);
  EXPECT_EQ(x->event_type, "one");
}

// Large batches are cut into several statements by some backends: duplicates of stored events
// and repeats inside the batch are found wherever they fall.
TEST_P(EventStoreContract, LargeBatchReportsEachDuplicateWhereverItFalls) {
  insert_all({make_event("stored-7"), make_event("stored-70")});
  std::vector<new_event> batch;
  std::vector<bool> expect_new;
  for (int i = 0; i < 150; ++i) {
    std::string id = "e" + std::to_string(i);
    if (i == 7 || i == 70) id = "stored-" + std::to_string(i);  // stored before
    if (i == 65 || i == 129) id = "e3";                         // repeats an earlier one
    expect_new.push_back(!id.starts_with("stored-") && i != 65 && i != 129);
    batch.push_back(make_event(id, "type-" + std::to_string(i)));
  }
  const auto outcome = store_->insert(batch);
  ASSERT_TRUE(outcome) << outcome.error().message();
  ASSERT_EQ(outcome->size(), batch.size());
  std::int64_t previous = 0;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    EXPECT_EQ((*outcome)[i].has_value(), expect_new[i]) << "event " << i;
    if (!(*outcome)[i]) continue;
    EXPECT_GT(*(*outcome)[i], previous) << "ids follow the request order, event " << i;
    previous = *(*outcome)[i];
    const auto stored = store_->get(*(*outcome)[i]);
    ASSERT_TRUE(stored) << "event " << i;
    EXPECT_EQ(stored->event_id, batch[i].event_id);
    EXPECT_EQ(stored->event_type, batch[i].event_type) << "the first of the repeats is kept";
  }
  EXPECT_EQ(list_all().size(), 2U + 146U);
}

TEST_P(EventStoreContract, FailedInsertStoresNothing) {
  insert_all({make_event("before")});
  db_->reject_event_type("poison");
  const auto outcome = store_->insert(
      std::vector{make_event("good-1"), make_event("bad", "poison"), make_event("good-2")});
  ASSERT_FALSE(outcome);
  EXPECT_EQ(store_->get_by_event_id("good-1").error(), make_error_code(errc::not_found));
  EXPECT_EQ(store_->get_by_event_id("good-2").error(), make_error_code(errc::not_found));
  EXPECT_EQ(event_ids(list_all()), std::vector<std::string>{"before"});
  // The store is still usable afterwards.
  const auto ids = insert_all({make_event("after")});
  EXPECT_EQ(ids.size(), 1U);
  EXPECT_EQ(event_ids(list_all()), (std::vector<std::string>{"before", "after"}));
}

TEST_P(EventStoreContract, GetAndGetByEventId) {
  const auto ids = insert_all({make_event("k1"), make_event("k2")});
  ASSERT_EQ(ids.size(), 2U);
  const auto by_id = store_->get(ids[1]);
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->event_id, "k2");
  const auto by_event_id = store_->get_by_event_id("k1");
  ASSERT_TRUE(by_event_id);
  EXPECT_EQ(by_event_id->id, ids[0]);
}

TEST_P(EventStoreContract, MissingEventsAreNotFound) {
  EXPECT_EQ(store_->get(12345).error(), make_error_code(errc::not_found));
  EXPECT_EQ(store_->get_by_event_id("nope").error(), make_error_code(errc::not_found));
  EXPECT_EQ(store_->update(12345, core::event_update{"t", std::nullopt, std::nullopt}).error(),
            make_error_code(errc::not_found));
  EXPECT_EQ(store_->remove(12345).error(), make_error_code(errc::not_found));
}

TEST_P(EventStoreContract, ListIsAscendingById) {
  insert_all({make_event("l1"), make_event("l2")});
  insert_all({make_event("l3")});
  const auto items = list_all();
  EXPECT_EQ(event_ids(items), (std::vector<std::string>{"l1", "l2", "l3"}));
  EXPECT_TRUE(std::is_sorted(items.begin(), items.end(),
                             [](const auto& a, const auto& b) { return a.id < b.id; }));
  const auto page = store_->list({});
  ASSERT_TRUE(page);
  EXPECT_FALSE(page->has_more);
}

TEST_P(EventStoreContract, ListFiltersByTypeEventIdAndReceivedAt) {
  insert_all({make_event("f1", "click", "1", 100), make_event("f2", "view", "2", 200),
              make_event("f3", "click", "3", 300), make_event("f4", "click", "4", 400)});

  core::list_query by_type;
  by_type.event_type = "click";
  EXPECT_EQ(event_ids(list_all(by_type)), (std::vector<std::string>{"f1", "f3", "f4"}));

  core::list_query by_id;
  by_id.event_id = "f2";
  EXPECT_EQ(event_ids(list_all(by_id)), std::vector<std::string>{"f2"});

  core::list_query since;
  since.since_us = 200;  // inclusive
  EXPECT_EQ(event_ids(list_all(since)), (std::vector<std::string>{"f2", "f3", "f4"}));

  core::list_query until;
  until.until_us = 300;  // exclusive
  EXPECT_EQ(event_ids(list_all(until)), (std::vector<std::string>{"f1", "f2"}));

  core::list_query combined;
  combined.event_type = "click";
  combined.since_us = 150;
  combined.until_us = 400;
  EXPECT_EQ(event_ids(list_all(combined)), std::vector<std::string>{"f3"});

  core::list_query none;
  none.event_type = "nothing";
  EXPECT_TRUE(list_all(none).empty());
}

TEST_P(EventStoreContract, KeysetPaginationVisitsEveryEventOnce) {
  std::vector<new_event> events;
  for (int i = 0; i < 23; ++i)
    events.push_back(make_event("p" + std::to_string(i), i % 2 == 0 ? "even" : "odd"));
  insert_all(events);

  for (const auto& type : std::vector<std::optional<std::string>>{std::nullopt, "even"}) {
    std::vector<std::string> seen;
    core::list_query q;
    q.event_type = type;
    q.limit = 5;
    int pages = 0;
    for (;;) {
      const auto page = store_->list(q);
      ASSERT_TRUE(page) << page.error().message();
      ASSERT_LE(page->items.size(), 5U);
      ++pages;
      for (const auto& e : page->items) seen.push_back(e.event_id);
      if (!page->has_more) break;
      ASSERT_FALSE(page->items.empty());
      q.after_id = page->items.back().id;
      ASSERT_LT(pages, 100);
    }
    const std::size_t expected = type ? 12U : 23U;
    EXPECT_EQ(seen.size(), expected);
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), expected);
    EXPECT_EQ(pages, type ? 3 : 5);
  }
}

TEST_P(EventStoreContract, ExactlyFullPageHasNoMore) {
  insert_all({make_event("e1"), make_event("e2")});
  core::list_query q;
  q.limit = 2;
  const auto page = store_->list(q);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->items.size(), 2U);
  EXPECT_FALSE(page->has_more);
  q.limit = 1;
  const auto first = store_->list(q);
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->has_more);
}

TEST_P(EventStoreContract, UpdateChangesOnlyWhatIsGiven) {
  auto original = make_event("u1", "before", R"({"v":1})", 777);
  original.occurred_at = "2024-01-01T00:00:00Z";
  const auto ids = insert_all({original});
  ASSERT_EQ(ids.size(), 1U);

  const auto type_only = store_->update(ids[0], {"after", std::nullopt, std::nullopt});
  ASSERT_TRUE(type_only) << type_only.error().message();
  EXPECT_EQ(type_only->event_type, "after");
  EXPECT_EQ(type_only->payload_json, R"({"v":1})");
  EXPECT_EQ(type_only->occurred_at, "2024-01-01T00:00:00Z");

  const auto payload_only = store_->update(ids[0], {std::nullopt, R"([1,2])", std::nullopt});
  ASSERT_TRUE(payload_only);
  EXPECT_EQ(payload_only->event_type, "after");
  EXPECT_EQ(payload_only->payload_json, R"([1,2])");

  const auto set_time = store_->update(
      ids[0], {std::nullopt, std::nullopt, std::optional<std::string>{"2025-02-03T04:05:06Z"}});
  ASSERT_TRUE(set_time);
  EXPECT_EQ(set_time->occurred_at, "2025-02-03T04:05:06Z");

  const auto cleared = store_->update(
      ids[0], {std::nullopt, std::nullopt,
               std::optional<std::optional<std::string>>{std::in_place, std::nullopt}});
  ASSERT_TRUE(cleared);
  EXPECT_FALSE(cleared->occurred_at.has_value());

  const auto stored = store_->get(ids[0]);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->id, ids[0]);
  EXPECT_EQ(stored->event_id, "u1");
  EXPECT_EQ(stored->event_type, "after");
  EXPECT_EQ(stored->payload_json, R"([1,2])");
  EXPECT_FALSE(stored->occurred_at.has_value());
  EXPECT_EQ(stored->received_at_us, 777);
}

TEST_P(EventStoreContract, RemoveThenNotFound) {
  const auto ids = insert_all({make_event("r1"), make_event("r2")});
  ASSERT_EQ(ids.size(), 2U);
  ASSERT_TRUE(store_->remove(ids[0]));
  EXPECT_EQ(store_->get(ids[0]).error(), make_error_code(errc::not_found));
  EXPECT_EQ(store_->get_by_event_id("r1").error(), make_error_code(errc::not_found));
  EXPECT_EQ(store_->remove(ids[0]).error(), make_error_code(errc::not_found));
  EXPECT_EQ(event_ids(list_all()), std::vector<std::string>{"r2"});
  // Ids are not reused: a new event sorts after everything listed before.
  const auto next = insert_all({make_event("r3")});
  ASSERT_EQ(next.size(), 1U);
  EXPECT_GT(next[0], ids[1]);
}

TEST_P(EventStoreContract, PingSucceedsOnAHealthyStore) { EXPECT_TRUE(store_->ping()); }

TEST_P(EventStoreContract, PayloadTextComesBackByteForByte) {
  const std::vector<std::string> payloads = {
      R"("a plain string")",
      R"("quotes \" backslash \\ newline \n tab \t unicode \u00e9 \ud83d\ude00")",
      "\"raw UTF-8: \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \xe4\xb8\xad\xe6\x96\x87\"",
      R"({"nested":{"array":[1,2.5,-3e10,true,false,null]},"empty":{},"s":""})",
      R"([])",
      R"({ "spaced" : [ 1 , 2 ] })",
      std::string(R"(")") + std::string(60'000, 'x') + R"(")",
  };
  std::vector<new_event> events;
  for (std::size_t i = 0; i < payloads.size(); ++i)
    events.push_back(make_event("payload-" + std::to_string(i), "t", payloads[i]));
  const auto ids = insert_all(events);
  ASSERT_EQ(ids.size(), payloads.size());
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    const auto stored = store_->get(ids[i]);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->payload_json, payloads[i]) << "payload " << i;
  }
  const auto listed = list_all();
  ASSERT_EQ(listed.size(), payloads.size());
  for (std::size_t i = 0; i < payloads.size(); ++i) EXPECT_EQ(listed[i].payload_json, payloads[i]);
}

TEST_P(EventStoreContract, EventIdsAndTypesAreExactText) {
  const std::vector<std::string> ids = {"ABC", "abc", "id with spaces", "x'); DROP TABLE events;--",
                                        std::string(128, '~')};
  std::vector<new_event> events;
  for (const auto& id : ids) events.push_back(make_event(id, "type " + id));
  insert_all(events);
  for (const auto& id : ids) {
    const auto e = store_->get_by_event_id(id);
    ASSERT_TRUE(e) << id;
    EXPECT_EQ(e->event_id, id);
    EXPECT_EQ(e->event_type, "type " + id);
  }
}

TEST_P(EventStoreContract, ConcurrentInsertsStoreEachEventIdOnce) {
  constexpr int threads = 6;
  constexpr int rounds = 40;
  constexpr int batch = 5;
  // Every thread writes the same event_ids in a different order; each must be stored once,
  // and exactly one insert in the whole run reports each one as new.
  std::vector<std::map<std::string, int>> fresh(threads);
  std::vector<std::thread> workers;
  std::atomic<int> failures{0};
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int r = 0; r < rounds; ++r) {
        const int round = (r + t * 7) % rounds;
        std::vector<new_event> events;
        for (int i = 0; i < batch; ++i)
          events.push_back(make_event("c-" + std::to_string(round) + "-" + std::to_string(i)));
        const auto outcome = store_->insert(events);
        if (!outcome) {
          ++failures;
          continue;
        }
        for (std::size_t i = 0; i < outcome->size(); ++i)
          if ((*outcome)[i]) ++fresh[static_cast<std::size_t>(t)][events[i].event_id];
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(failures.load(), 0);

  std::map<std::string, int> reported_new;
  for (const auto& m : fresh)
    for (const auto& [id, n] : m) reported_new[id] += n;
  const auto items = list_all();
  EXPECT_EQ(items.size(), static_cast<std::size_t>(rounds * batch));
  std::set<std::string> distinct;
  for (const auto& e : items) distinct.insert(e.event_id);
  EXPECT_EQ(distinct.size(), items.size());
  EXPECT_EQ(reported_new.size(), static_cast<std::size_t>(rounds * batch));
  for (const auto& [id, n] : reported_new) EXPECT_EQ(n, 1) << id;
}

TEST_P(EventStoreContract, DataSurvivesReopening) {
  auto event = make_event("durable", "kept", R"({"k":"v"})", 4242);
  event.occurred_at = "2024-06-01T00:00:00Z";
  const auto ids = insert_all({event, make_event("durable-2")});
  ASSERT_EQ(ids.size(), 2U);
  store_.reset();

  store_ = storage::open_event_store(db_->config());
  const auto stored = store_->get(ids[0]);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->event_id, "durable");
  EXPECT_EQ(stored->event_type, "kept");
  EXPECT_EQ(stored->payload_json, R"({"k":"v"})");
  EXPECT_EQ(stored->occurred_at, "2024-06-01T00:00:00Z");
  EXPECT_EQ(stored->received_at_us, 4242);
  // Still idempotent across the restart, and new ids continue after the old ones.
  const auto outcome = store_->insert(std::vector{make_event("durable"), make_event("fresh")});
  ASSERT_TRUE(outcome);
  EXPECT_FALSE((*outcome)[0].has_value());
  ASSERT_TRUE((*outcome)[1].has_value());
  EXPECT_GT(*(*outcome)[1], ids[1]);
}

INSTANTIATE_TEST_SUITE_P(Backends, EventStoreContract, ::testing::ValuesIn(all_backends()),
                         backend_name{});

}  // namespace
}  // namespace evs::test
