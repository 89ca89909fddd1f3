#include "consumer/batch_writer.hpp"

#include "storage/sqlite/sqlite_event_store.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace evs::consumer {
namespace {

using storage::insert_outcome;

core::new_event make_event(std::string event_id, std::string type = "test") {
  core::new_event e;
  e.event_id = std::move(event_id);
  e.event_type = std::move(type);
  e.payload_json = R"({"n":1})";
  e.received_at_us = 1'714'566'600'000'000;
  return e;
}

// Passes everything to a real store; insert() can be made to wait at a gate, so that a test
// knows the writer is busy, or to fail. It changes timing only: data goes to the real store.
class gated_store final : public storage::event_store {
 public:
  explicit gated_store(storage::event_store& inner) : inner_{inner} {}

  // The next insert() signals `entered()` and waits until `open()`.
  void close_gate() {
    const std::lock_guard lock{mutex_};
    gated_ = true;
    opened_ = false;
    entered_ = std::promise<void>{};
    released_ = std::promise<void>{};
    release_ = released_.get_future().share();
  }
  std::future<void> entered() { return entered_.get_future(); }
  // Idempotent, so that a failed assertion never leaves a writer stuck at the gate.
  void open() {
    const std::lock_guard lock{mutex_};
    if (!opened_) released_.set_value();
    opened_ = true;
  }
  void fail_inserts(bool fail) { fail_ = fail; }

  std::vector<std::size_t> insert_sizes() const {
    const std::lock_guard lock{mutex_};
    return insert_sizes_;
  }

  result<insert_outcome> insert(std::span<const core::new_event> events) override {
    std::shared_future<void> wait_for;
    {
      const std::lock_guard lock{mutex_};
      insert_sizes_.push_back(events.size());
      if (gated_) {
        gated_ = false;
        wait_for = release_;
        entered_.set_value();
      }
    }
    if (wait_for.valid()) wait_for.wait();
    if (fail_) return errc::storage_unavailable;
    // A store that cannot take one particular event fails the whole transaction with it.
    for (const auto& e : events)
      if (e.event_type == "poison") return errc::storage_failure;
    return inner_.insert(events);
  }
  result<core::stored_event> get(std::int64_t id) override { return inner_.get(id); }
  result<core::stored_event> get_by_event_id(std::string_view id) override {
    return inner_.get_by_event_id(id);
  }
  result<core::event_page> list(const core::list_query& q) override { return inner_.list(q); }
  result<core::stored_event> update(std::int64_t id, const core::event_update& u) override {
    return inner_.update(id, u);
  }
  result<void> remove(std::int64_t id) override { return inner_.remove(id); }
  result<void> ping() override { return inner_.ping(); }

 private:
  storage::event_store& inner_;
  mutable std::mutex mutex_;
  bool gated_ = false;
  bool opened_ = true;
  std::promise<void> entered_;
  std::promise<void> released_;
  std::shared_future<void> release_;
  std::atomic<bool> fail_{false};
  std::vector<std::size_t> insert_sizes_;
};

// Opens the gate when a test leaves early; declared after the writer, so destroyed before it.
class open_on_exit {
 public:
  explicit open_on_exit(gated_store& store) : store_{store} {}
  ~open_on_exit() { store_.open(); }
  open_on_exit(const open_on_exit&) = delete;
  open_on_exit& operator=(const open_on_exit&) = delete;

 private:
  gated_store& store_;
};

// Collects completions by request number; waits for them without sleeping.
class completions {
 public:
  batch_writer::completion for_request(int request) {
    return [this, request](result<insert_outcome> outcome, std::vector<core::new_event> events) {
      // Notified under the lock: a test may destroy this object as soon as its wait returns,
      // which it cannot do before the writer thread is done with the condition variable.
      const std::lock_guard lock{mutex_};
      results_.emplace(request, std::move(outcome));
      for (const auto& e : events) returned_[request].push_back(e.event_id);
      ++calls_;
      changed_.notify_all();
    };
  }

  // True when `count` completions arrived within a generous bound.
  bool wait_for(std::size_t count) {
    std::unique_lock lock{mutex_};
    return changed_.wait_for(lock, std::chrono::seconds{60}, [&] { return calls_ >= count; });
  }

  std::size_t calls() const {
    const std::lock_guard lock{mutex_};
    return calls_;
  }
  result<insert_outcome> at(int request) const {
    const std::lock_guard lock{mutex_};
    return results_.at(request);
  }
  // The event_ids of the events the completion handed back, in order.
  std::vector<std::string> returned(int request) const {
    const std::lock_guard lock{mutex_};
    const auto it = returned_.find(request);
    return it == returned_.end() ? std::vector<std::string>{} : it->second;
  }
  bool has(int request) const {
    const std::lock_guard lock{mutex_};
    return results_.count(request) != 0;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<int, result<insert_outcome>> results_;
  std::map<int, std::vector<std::string>> returned_;
  std::size_t calls_ = 0;
};

class BatchWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::make_unique<storage::sqlite::sqlite_event_store>(
        storage::sqlite_config{(dir_ / "events.db").string(), 2});
    gated_ = std::make_unique<gated_store>(*store_);
  }
  void TearDown() override {
    gated_.reset();
    store_.reset();
  }

  // Closes the gate and submits request 0 (one event, `event_id`); returns once the writer has
  // taken it and waits at the gate, so later submissions queue behind it.
  void hold_writer(batch_writer& writer, completions& done, const std::string& event_id) {
    gated_->close_gate();
    auto busy = gated_->entered();
    ASSERT_TRUE(writer.submit({make_event(event_id)}, done.for_request(0)));
    busy.wait();
  }

  // The stored row id of `event_id`, or -1 when it is not stored.
  std::int64_t stored_id(const std::string& event_id) {
    const auto e = store_->get_by_event_id(event_id);
    return e ? e->id : -1;
  }

  std::size_t stored_count() {
    core::list_query q;
    q.limit = 1000;
    const auto page = store_->list(q);
    EXPECT_TRUE(page.has_value());
    EXPECT_FALSE(page->has_more);
    return page->items.size();
  }

  test::temp_dir dir_{"evs-batch-writer"};
  std::unique_ptr<storage::sqlite::sqlite_event_store> store_;
  std::unique_ptr<gated_store> gated_;
};

TEST_F(BatchWriterTest, CommitsOneRequest) {
  batch_writer writer{*store_, {}};
  completions done;
  ASSERT_TRUE(writer.submit({make_event("a"), make_event("b")}, done.for_request(0)));
  ASSERT_TRUE(done.wait_for(1));
  const auto outcome = done.at(0);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
  ASSERT_EQ(outcome->size(), 2u);
  EXPECT_EQ((*outcome)[0], stored_id("a"));
  EXPECT_EQ((*outcome)[1], stored_id("b"));
  EXPECT_LT(*(*outcome)[0], *(*outcome)[1]) << "stored in request order";
}

TEST_F(BatchWriterTest, ConcurrentSubmitsAreAllCommittedEachWithItsOwnOutcomes) {
  constexpr int threads = 4;
  constexpr int requests_per_thread = 40;
  constexpr int events_per_request = 3;
  batch_writer writer{*store_, {}};
  completions done;
  std::vector<std::thread> clients;
  std::atomic<int> refused{0};
  for (int t = 0; t < threads; ++t) {
    clients.emplace_back([&, t] {
      for (int r = 0; r < requests_per_thread; ++r) {
        const int request = t * requests_per_thread + r;
        std::vector<core::new_event> events;
        for (int i = 0; i < events_per_request; ++i)
          events.push_back(make_event("r" + std::to_string(request) + "-e" + std::to_string(i)));
        if (!writer.submit(std::move(events), done.for_request(request))) ++refused;
      }
    });
  }
  for (auto& c : clients) c.join();
  ASSERT_EQ(refused.load(), 0);
  constexpr int total = threads * requests_per_thread;
  ASSERT_TRUE(done.wait_for(total));

  for (int request = 0; request < total; ++request) {
    const auto outcome = done.at(request);
    ASSERT_TRUE(outcome.has_value()) << request;
    ASSERT_EQ(outcome->size(), std::size_t{events_per_request}) << request;
    for (int i = 0; i < events_per_request; ++i) {
      const auto event_id = "r" + std::to_string(request) + "-e" + std::to_string(i);
      const auto& id = (*outcome)[static_cast<std::size_t>(i)];
      ASSERT_TRUE(id.has_value()) << event_id;
      EXPECT_EQ(*id, stored_id(event_id)) << "each request gets the ids of its own events";
    }
  }
  EXPECT_EQ(stored_count(), std::size_t{total * events_per_request});
  EXPECT_EQ(done.calls(), std::size_t{total}) << "each completion runs exactly once";
  EXPECT_EQ(writer.queued_events(), 0u);
}

TEST_F(BatchWriterTest, QueuedRequestsShareOneCommit) {
  batch_writer writer{*gated_, {}};
  const open_on_exit release_gate{*gated_};
  completions done;
  ASSERT_NO_FATAL_FAILURE(
      hold_writer(writer, done, "first"));  // the writer holds request 0 and waits at the gate

  ASSERT_TRUE(writer.submit({make_event("a1"), make_event("a2")}, done.for_request(1)));
  ASSERT_TRUE(writer.submit({make_event("b1")}, done.for_request(2)));
  ASSERT_TRUE(
      writer.submit({make_event("c1"), make_event("c2"), make_event("c3")}, done.for_request(3)));
  EXPECT_EQ(writer.queued_events(), 6u);
  gated_->open();
  ASSERT_TRUE(done.wait_for(4));

  EXPECT_EQ(gated_->insert_sizes(), (std::vector<std::size_t>{1, 6}))
      << "everything queued behind a commit goes in the next one";
  const auto a = done.at(1);
  const auto b = done.at(2);
  const auto c = done.at(3);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, (insert_outcome{stored_id("a1"), stored_id("a2")}));
  EXPECT_EQ(*b, (insert_outcome{stored_id("b1")}));
  EXPECT_EQ(*c, (insert_outcome{stored_id("c1"), stored_id("c2"), stored_id("c3")}));
  // Each request gets its own events back, whole, to free them on its own thread.
  EXPECT_EQ(done.returned(1), (std::vector<std::string>{"a1", "a2"}));
  EXPECT_EQ(done.returned(2), (std::vector<std::string>{"b1"}));
  EXPECT_EQ(done.returned(3), (std::vector<std::string>{"c1", "c2", "c3"}));
}

TEST_F(BatchWriterTest, ARequestTheStoreRefusesDoesNotFailTheOthersInItsGroup) {
  batch_writer writer{*gated_, {}};
  const open_on_exit release_gate{*gated_};
  completions done;
  ASSERT_NO_FATAL_FAILURE(hold_writer(writer, done, "first"));

  ASSERT_TRUE(writer.submit({make_event("good-1")}, done.for_request(1)));
  ASSERT_TRUE(
      writer.submit({make_event("bad", "poison"), make_event("bad-2")}, done.for_request(2)));
  ASSERT_TRUE(writer.submit({make_event("good-2"), make_event("good-3")}, done.for_request(3)));
  gated_->open();
  ASSERT_TRUE(done.wait_for(4));

  const auto good_1 = done.at(1);
  const auto bad = done.at(2);
  const auto good_2 = done.at(3);
  ASSERT_TRUE(good_1 && good_2);
  EXPECT_EQ(*good_1, (insert_outcome{stored_id("good-1")}));
  EXPECT_EQ(*good_2, (insert_outcome{stored_id("good-2"), stored_id("good-3")}));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), make_error_code(errc::storage_failure));
  EXPECT_EQ(stored_id("bad-2"), -1) << "the refused request stays all or nothing";
}

TEST_F(BatchWriterTest, DuplicateAcrossRequestsInOneGroupIsCountedOnce) {
  batch_writer writer{*gated_, {}};
  const open_on_exit release_gate{*gated_};
  completions done;
  ASSERT_NO_FATAL_FAILURE(hold_writer(writer, done, "gate"));

  ASSERT_TRUE(writer.submit({make_event("x1"), make_event("shared")}, done.for_request(1)));
  ASSERT_TRUE(writer.submit({make_event("shared"), make_event("x2")}, done.for_request(2)));
  gated_->open();
  ASSERT_TRUE(done.wait_for(3));
  ASSERT_EQ(gated_->insert_sizes(), (std::vector<std::size_t>{1, 4})) << "one group";

  const auto first = done.at(1);
  const auto second = done.at(2);
  ASSERT_TRUE(first && second);
  ASSERT_EQ(first->size(), 2u);
  ASSERT_EQ(second->size(), 2u);
  EXPECT_EQ((*first)[1], stored_id("shared")) << "the earlier request stores it";
  EXPECT_EQ((*second)[0], std::nullopt) << "the later request sees a duplicate";
  EXPECT_EQ((*second)[1], stored_id("x2"));
  EXPECT_EQ(stored_count(), 4u);  // gate, x1, shared, x2
}

TEST_F(BatchWriterTest, DuplicateOfAnEarlierCommitIsNullopt) {
  batch_writer writer{*store_, {}};
  completions done;
  ASSERT_TRUE(writer.submit({make_event("once")}, done.for_request(0)));
  ASSERT_TRUE(done.wait_for(1));
  ASSERT_TRUE(writer.submit({make_event("once"), make_event("new")}, done.for_request(1)));
  ASSERT_TRUE(done.wait_for(2));
  const auto again = done.at(1);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, (insert_outcome{std::nullopt, stored_id("new")}));
}

TEST_F(BatchWriterTest, FullQueueIsRefusedAtOnce) {
  batch_writer_config config;
  config.queue_capacity = 5;
  batch_writer writer{*gated_, config};
  const open_on_exit release_gate{*gated_};
  completions done;
  ASSERT_NO_FATAL_FAILURE(
      hold_writer(writer, done, "busy"));  // taken off the queue: the queue is empty again

  ASSERT_TRUE(
      writer.submit({make_event("q1"), make_event("q2"), make_event("q3")}, done.for_request(1)));
  ASSERT_TRUE(writer.submit({make_event("q4"), make_event("q5")}, done.for_request(2)));
  EXPECT_EQ(writer.queued_events(), 5u);

  const auto refused = writer.submit({make_event("over")}, done.for_request(3));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), make_error_code(errc::queue_full));
  EXPECT_EQ(writer.queued_events(), 5u) << "a refused request takes no room";

  gated_->open();
  ASSERT_TRUE(done.wait_for(3));
  writer.stop();
  EXPECT_EQ(done.calls(), 3u) << "a refused request's completion never runs";
  EXPECT_FALSE(done.has(3));
  EXPECT_EQ(stored_id("over"), -1);
  EXPECT_EQ(stored_count(), 6u);
}

TEST_F(BatchWriterTest, QueueAcceptsAgainOnceDrained) {
  batch_writer_config config;
  config.queue_capacity = 2;
  batch_writer writer{*gated_, config};
  const open_on_exit release_gate{*gated_};
  completions done;
  ASSERT_NO_FATAL_FAILURE(hold_writer(writer, done, "busy"));
  ASSERT_TRUE(writer.submit({make_event("a"), make_event("b")}, done.for_request(1)));
  EXPECT_EQ(writer.submit({make_event("c")}, done.for_request(2)).error(),
            make_error_code(errc::queue_full));
  gated_->open();
  ASSERT_TRUE(done.wait_for(2));
  ASSERT_TRUE(writer.submit({make_event("c")}, done.for_request(3)));
  ASSERT_TRUE(done.wait_for(3));
  EXPECT_GT(stored_id("c"), 0);
}

TEST_F(BatchWriterTest, RequestLargerThanTheQueueGoesThroughWhenQueueIsEmpty) {
  batch_writer_config config;
  config.queue_capacity = 2;
  batch_writer writer{*gated_, config};
  const open_on_exit release_gate{*gated_};
  completions done;
  ASSERT_NO_FATAL_FAILURE(hold_writer(writer, done, "busy"));
  // Otherwise a request of more than queue_capacity events could never be stored.
  ASSERT_TRUE(
      writer.submit({make_event("b1"), make_event("b2"), make_event("b3")}, done.for_request(1)));
  EXPECT_EQ(writer.submit({make_event("c")}, done.for_request(2)).error(),
            make_error_code(errc::queue_full));
  gated_->open();
  ASSERT_TRUE(done.wait_for(2));
  const auto big = done.at(1);
  ASSERT_TRUE(big);
  EXPECT_EQ(big->size(), 3u);
  EXPECT_GT(stored_id("b3"), 0);
}

TEST_F(BatchWriterTest, RequestIsNeverSplitAcrossCommits) {
  batch_writer_config config;
  config.max_batch = 3;
  batch_writer writer{*gated_, config};
  const open_on_exit release_gate{*gated_};
  completions done;
  ASSERT_NO_FATAL_FAILURE(hold_writer(writer, done, "busy"));
  ASSERT_TRUE(writer.submit({make_event("a1"), make_event("a2")}, done.for_request(1)));
  ASSERT_TRUE(writer.submit({make_event("b1"), make_event("b2")}, done.for_request(2)));
  ASSERT_TRUE(
      writer.submit({make_event("c1"), make_event("c2"), make_event("c3"), make_event("c4")},
                    done.for_request(3)));
  gated_->open();
  ASSERT_TRUE(done.wait_for(4));
  // 2 + 2 > 3: b waits for the next commit; c alone is over the limit but is one request.
  EXPECT_EQ(gated_->insert_sizes(), (std::vector<std::size_t>{1, 2, 2, 4}));
  EXPECT_EQ(stored_count(), 9u);
}

TEST_F(BatchWriterTest, FailedCommitFailsEveryRequestInItAndStoresNothing) {
  batch_writer writer{*gated_, {}};
  const open_on_exit release_gate{*gated_};
  completions done;
  ASSERT_NO_FATAL_FAILURE(hold_writer(writer, done, "ok"));
  ASSERT_TRUE(writer.submit({make_event("f1")}, done.for_request(1)));
  ASSERT_TRUE(writer.submit({make_event("f2"), make_event("f3")}, done.for_request(2)));
  gated_->fail_inserts(true);
  gated_->open();
  ASSERT_TRUE(done.wait_for(3));
  for (int request = 0; request < 3; ++request) {
    const auto outcome = done.at(request);
    ASSERT_FALSE(outcome.has_value()) << request;
    EXPECT_EQ(outcome.error(), make_error_code(errc::storage_unavailable));
  }
  EXPECT_EQ(stored_count(), 0u);

  gated_->fail_inserts(false);
  ASSERT_TRUE(writer.submit({make_event("f1")}, done.for_request(3)));
  ASSERT_TRUE(done.wait_for(4));
  EXPECT_TRUE(done.at(3).has_value()) << "the writer keeps going after a failure";
}

TEST_F(BatchWriterTest, StopCommitsWhatIsQueuedAndRefusesLaterSubmits) {
  batch_writer writer{*gated_, {}};
  const open_on_exit release_gate{*gated_};
  completions done;
  ASSERT_NO_FATAL_FAILURE(hold_writer(writer, done, "in-flight"));
  ASSERT_TRUE(writer.submit({make_event("queued-1")}, done.for_request(1)));
  ASSERT_TRUE(writer.submit({make_event("queued-2"), make_event("queued-3")}, done.for_request(2)));

  std::thread stopper{[&] { writer.stop(); }};
  // stop() refuses new work at once, then waits for the writer that is held at the gate.
  while (writer.running()) std::this_thread::yield();
  const auto late = writer.submit({make_event("late")}, done.for_request(3));
  EXPECT_FALSE(late);
  EXPECT_EQ(late.error(), make_error_code(errc::shutting_down));
  EXPECT_EQ(done.calls(), 0u) << "nothing completes while the commit is held";

  gated_->open();
  stopper.join();
  // stop() has returned: everything accepted before it is committed and completed.
  EXPECT_EQ(done.calls(), 3u);
  EXPECT_FALSE(done.has(3));
  for (int request = 0; request < 3; ++request) EXPECT_TRUE(done.at(request).has_value());
  EXPECT_GT(stored_id("in-flight"), 0);
  EXPECT_GT(stored_id("queued-1"), 0);
  EXPECT_GT(stored_id("queued-3"), 0);
  EXPECT_EQ(stored_id("late"), -1);
  EXPECT_EQ(writer.queued_events(), 0u);
}

TEST_F(BatchWriterTest, StopIsIdempotentAndDestructionAfterStopIsSafe) {
  completions done;
  {
    batch_writer writer{*store_, {}};
    ASSERT_TRUE(writer.submit({make_event("a")}, done.for_request(0)));
    writer.stop();
    EXPECT_EQ(done.calls(), 1u);
    writer.stop();
    EXPECT_FALSE(writer.running());
    EXPECT_EQ(writer.submit({make_event("b")}, done.for_request(1)).error(),
              make_error_code(errc::shutting_down));
  }
  EXPECT_EQ(done.calls(), 1u);
  EXPECT_GT(stored_id("a"), 0);
}

TEST_F(BatchWriterTest, DestructorCommitsWhatIsQueued) {
  completions done;
  {
    batch_writer writer{*store_, {}};
    for (int i = 0; i < 20; ++i)
      ASSERT_TRUE(writer.submit({make_event("d" + std::to_string(i))}, done.for_request(i)));
  }
  EXPECT_EQ(done.calls(), 20u);
  EXPECT_EQ(stored_count(), 20u);
}

// Light load on a database server: while one commit is under way, idle writers leave a few
// queued events alone, and they go in one larger group when that commit ends.
TEST_F(BatchWriterTest, BelowTheParallelThresholdOneCommitAtATime) {
  batch_writer_config config;
  config.writers = 3;
  config.parallel_from_events = 5;
  batch_writer writer{*gated_, config};
  const open_on_exit release_gate{*gated_};
  completions done;
  ASSERT_NO_FATAL_FAILURE(hold_writer(writer, done, "held"));

  for (int i = 1; i <= 3; ++i)
    ASSERT_TRUE(writer.submit({make_event("light" + std::to_string(i))}, done.for_request(i)));
  EXPECT_EQ(writer.queued_events(), 3u) << "no idle writer took them";
  gated_->open();
  ASSERT_TRUE(done.wait_for(4));
  EXPECT_EQ(gated_->insert_sizes(), (std::vector<std::size_t>{1, 3}));
  EXPECT_EQ(stored_count(), 4u);
}

// Enough queued work and a second writer commits alongside the one that is under way.
TEST_F(BatchWriterTest, AtTheParallelThresholdASecondWriterCommitsAlongside) {
  batch_writer_config config;
  config.writers = 2;
  config.parallel_from_events = 5;
  batch_writer writer{*gated_, config};
  const open_on_exit release_gate{*gated_};
  completions done;
  ASSERT_NO_FATAL_FAILURE(hold_writer(writer, done, "held"));

  std::vector<core::new_event> heavy;
  for (int i = 0; i < 5; ++i) heavy.push_back(make_event("heavy" + std::to_string(i)));
  ASSERT_TRUE(writer.submit(std::move(heavy), done.for_request(1)));
  ASSERT_TRUE(done.wait_for(1)) << "the second writer never committed";
  EXPECT_TRUE(done.has(1));
  EXPECT_FALSE(done.has(0)) << "the first commit is still held at the gate";
  gated_->open();
  ASSERT_TRUE(done.wait_for(2));
  EXPECT_EQ(stored_count(), 6u);
}

TEST_F(BatchWriterTest, SeveralWritersCommitEverything) {
  batch_writer_config config;
  config.writers = 3;
  config.max_batch = 4;
  batch_writer writer{*store_, config};
  completions done;
  for (int i = 0; i < 100; ++i)
    ASSERT_TRUE(writer.submit(
        {make_event("w" + std::to_string(i) + "a"), make_event("w" + std::to_string(i) + "b")},
        done.for_request(i)));
  writer.stop();
  ASSERT_EQ(done.calls(), 100u);
  for (int i = 0; i < 100; ++i) {
    const auto outcome = done.at(i);
    ASSERT_TRUE(outcome);
    EXPECT_EQ(*outcome, (insert_outcome{stored_id("w" + std::to_string(i) + "a"),
                                        stored_id("w" + std::to_string(i) + "b")}));
  }
  EXPECT_EQ(stored_count(), 200u);
}

}  // namespace
}  // namespace evs::consumer
