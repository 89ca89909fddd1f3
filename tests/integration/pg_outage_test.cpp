// PostgreSQL stops under concurrent inserts and starts again: calls fail fast with
// storage_unavailable while it is down, the same store object writes again once it is back,
// and every insert that reported success is stored exactly once.
#include "pg_control.hpp"
#include "storage/store_factory.hpp"
#include "support/backends.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace evs::test {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

backend postgres_backend() {
  for (auto& b : all_backends())
    if (b.name == "postgres") return b;
  throw std::runtime_error("no postgres backend");
}

// What the writers saw, shared with the test body.
struct ledger {
  std::mutex mutex;
  std::set<std::string> acknowledged;    // in a batch whose insert() succeeded
  std::set<std::string> unacknowledged;  // in a batch still failing when the writers stopped
  std::map<std::string, std::int64_t> returned_ids;
  std::vector<std::string> unexpected_errors;
  std::atomic<int> successes{0};
  std::atomic<int> unavailable{0};
  std::atomic<std::int64_t> slowest_call_us{0};

  void timed(clock_type::duration d) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
    auto seen = slowest_call_us.load();
    while (us > seen && !slowest_call_us.compare_exchange_weak(seen, us)) {
    }
  }
};

// Inserts batches of fresh events; a failed batch is retried with the same event_ids, as a
// client does after a 503.
void writer(storage::event_store& store, int number, const std::atomic<bool>& stop, ledger& log) {
  for (int sequence = 0; !stop; ++sequence) {
    std::vector<core::new_event> batch;
    for (int i = 0; i < 20; ++i) {
      const std::string id =
          "w" + std::to_string(number) + "-" + std::to_string(sequence) + "-" + std::to_string(i);
      batch.push_back({id, "outage.test", R"({"n":)" + std::to_string(i) + "}", std::nullopt,
                       1'700'000'000'000'000 + sequence});
    }
    for (;;) {
      const auto started = clock_type::now();
      const auto outcome = store.insert(batch);
      log.timed(clock_type::now() - started);
      {
        const std::lock_guard lock{log.mutex};
        if (outcome) {
          for (std::size_t i = 0; i < batch.size(); ++i) {
            log.acknowledged.insert(batch[i].event_id);
            // nullopt: committed by an earlier attempt whose reply was lost.
            if ((*outcome)[i]) log.returned_ids[batch[i].event_id] = *(*outcome)[i];
          }
          ++log.successes;
          break;
        }
        if (outcome.error() == errc::storage_unavailable)
          ++log.unavailable;
        else
          log.unexpected_errors.push_back(outcome.error().message());
        if (stop) {
          for (const auto& e : batch) log.unacknowledged.insert(e.event_id);
          return;
        }
      }
      // A client's short backoff after a 503.
      std::this_thread::sleep_for(2ms);
    }
  }
}

TEST(PostgresOutage, FailsFastWhileDownAndWritesAgainOnTheSameStoreWhenBack) {
  const pg_control server;
  const pg_restart_guard guard{server};
  test_database db{postgres_backend()};
  auto config = std::get<storage::postgres_config>(db.config());
  config.write_connections = 4;
  const auto store = storage::open_event_store(config);
  const auto threads = store->max_concurrent_writers();
  ASSERT_EQ(threads, 4U);

  ledger log;
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (std::size_t t = 0; t < threads; ++t)
    writers.emplace_back([&, t] { writer(*store, static_cast<int>(t), stop, log); });
  const auto stop_writers = [&] {
    stop = true;
    for (auto& w : writers)
      if (w.joinable()) w.join();
  };

  ASSERT_TRUE(eventually([&] { return log.successes >= 20; })) << "no inserts before the outage";

  server.stop();
  EXPECT_TRUE(eventually([&] { return log.unavailable >= 100; }, 10s))
      << "inserts did not report storage_unavailable";
  // Taken once failures show, so no success from just before the stop is still being counted.
  const int successes_when_down = log.successes;

  // Reads and readiness fail fast too.
  auto started = clock_type::now();
  const auto ping = store->ping();
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error(), errc::storage_unavailable);
  const auto page = store->list({});
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error(), errc::storage_unavailable);
  const auto got = store->get(1);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error(), errc::storage_unavailable);
  EXPECT_LT(clock_type::now() - started, 3s);
  EXPECT_EQ(log.successes, successes_when_down) << "an insert succeeded while the server was down";

  server.start();
  EXPECT_TRUE(eventually([&] { return log.successes >= successes_when_down + 20; }, 30s))
      << "inserts did not resume after the server came back";
  EXPECT_TRUE(eventually([&] { return static_cast<bool>(store->ping()); }, 10s));
  stop_writers();

  EXPECT_TRUE(log.unexpected_errors.empty())
      << log.unexpected_errors.size()
      << " errors other than storage_unavailable, first: " << log.unexpected_errors.front();
  EXPECT_LT(log.slowest_call_us.load(), 5'000'000) << "an insert call hung";

  const auto stored = list_all(*store);
  std::map<std::string, std::int64_t> stored_ids;
  for (const auto& e : stored) {
    EXPECT_TRUE(stored_ids.emplace(e.event_id, e.id).second) << e.event_id << " stored twice";
    EXPECT_TRUE(log.acknowledged.contains(e.event_id) || log.unacknowledged.contains(e.event_id))
        << e.event_id << " stored but never sent";
  }
  for (const auto& id : log.acknowledged)
    EXPECT_TRUE(stored_ids.contains(id)) << "acknowledged " << id << " is missing";
  for (const auto& [event_id, id] : log.returned_ids)
    EXPECT_EQ(stored_ids[event_id], id) << "insert() returned the wrong id for " << event_id;
  std::cout << "outage test: " << log.successes << " batches acknowledged, " << log.unavailable
            << " storage_unavailable answers, slowest call " << log.slowest_call_us / 1000
            << " ms\n";
}

}  // namespace
}  // namespace evs::test
