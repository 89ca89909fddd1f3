// Two stores on one database stand for two consumers behind a load balancer: writers send
// overlapping event_ids to both at once, and each event_id is stored exactly once. Run on each
// server backend (PostgreSQL, MariaDB): --gtest_filter=*/postgres or */mariadb.
#include "storage/store_factory.hpp"
#include "support/backends.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace evs::test {
namespace {

// The backends two processes can share: every one but SQLite.
std::vector<backend> server_backends() {
  auto all = all_backends();
  std::erase_if(all, [](const backend& b) { return b.name == "sqlite"; });
  return all;
}

class TwoConsumers : public ::testing::TestWithParam<backend> {};

TEST_P(TwoConsumers, OverlappingEventIdsAreStoredOnce) {
  test_database db{GetParam()};
  const auto& config = db.config();

  // Both start at once on an empty database: the migration runs once, under the server's lock
  // (PostgreSQL's advisory lock, MariaDB's GET_LOCK).
  std::unique_ptr<storage::event_store> consumers[2];
  {
    std::thread other{[&] { consumers[1] = storage::open_event_store(config); }};
    consumers[0] = storage::open_event_store(config);
    other.join();
  }
  ASSERT_TRUE(consumers[0] && consumers[1]);

  constexpr int event_count = 2000;
  constexpr std::size_t batch_size = 50;
  const std::size_t writers_per_consumer = consumers[0]->max_concurrent_writers();

  // Every writer sends every event_id: half of them in order (a retry of the same batches),
  // half shuffled (batches merged differently by each consumer's batch writer).
  std::mutex mutex;
  std::map<std::string, int> times_accepted;
  std::map<std::string, std::int64_t> accepted_as;
  std::atomic<int> retries{0};
  std::vector<std::string> failures;
  std::vector<std::thread> writers;
  for (std::size_t w = 0; w < 2 * writers_per_consumer; ++w) {
    writers.emplace_back([&, w] {
      auto& store = *consumers[w % 2];
      std::vector<int> order(event_count);
      std::iota(order.begin(), order.end(), 0);
      if (w % 4 >= 2)
        std::shuffle(order.begin(), order.end(), std::mt19937{static_cast<unsigned>(w)});
      for (std::size_t start = 0; start < order.size(); start += batch_size) {
        std::vector<core::new_event> batch;
        for (std::size_t i = start; i < std::min(order.size(), start + batch_size); ++i) {
          const auto n = order[i];
          batch.push_back({"shared-" + std::to_string(n), "consumers.test",
                           R"({"n":)" + std::to_string(n) + "}", std::nullopt, 1'000 + n});
        }
        for (int attempt = 0;; ++attempt) {
          const auto outcome = store.insert(batch);
          const std::lock_guard lock{mutex};
          if (outcome) {
            for (std::size_t i = 0; i < batch.size(); ++i) {
              if (!(*outcome)[i]) continue;
              ++times_accepted[batch[i].event_id];
              accepted_as[batch[i].event_id] = *(*outcome)[i];
            }
            break;
          }
          // A lost deadlock race can surface as unavailable after the store's own retries.
          if (outcome.error() != errc::storage_unavailable || attempt == 20) {
            failures.push_back(outcome.error().message());
            break;
          }
          ++retries;
        }
      }
    });
  }
  for (auto& w : writers) w.join();
  ASSERT_TRUE(failures.empty()) << failures.size()
                                << " inserts failed, first: " << failures.front();

  ASSERT_EQ(times_accepted.size(), static_cast<std::size_t>(event_count));
  for (const auto& [event_id, count] : times_accepted)
    EXPECT_EQ(count, 1) << event_id << " was accepted " << count << " times";

  // Both consumers see the same events, once each, in ascending id order, through pages.
  const auto seen_by_first = list_all(*consumers[0], 97);
  const auto seen_by_second = list_all(*consumers[1], 1000);
  ASSERT_EQ(seen_by_first.size(), static_cast<std::size_t>(event_count));
  ASSERT_EQ(seen_by_second.size(), seen_by_first.size());
  for (std::size_t i = 0; i < seen_by_first.size(); ++i) {
    EXPECT_EQ(seen_by_first[i].id, seen_by_second[i].id);
    if (i > 0) {
      EXPECT_LT(seen_by_first[i - 1].id, seen_by_first[i].id);
    }
    EXPECT_EQ(accepted_as[seen_by_first[i].event_id], seen_by_first[i].id);
  }
  std::cout << "two consumers: " << retries << " retried inserts\n";
}

INSTANTIATE_TEST_SUITE_P(Backends, TwoConsumers, ::testing::ValuesIn(server_backends()),
                         backend_name{});

}  // namespace
}  // namespace evs::test
