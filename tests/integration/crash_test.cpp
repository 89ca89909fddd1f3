// The real event-consumer binary under concurrent load: kill -9 at an arbitrary moment, or
// SIGTERM, then a restart on the same SQLite file. Every acknowledged event must be there
// exactly once, and every request all or nothing.
#include "support/consumer_process.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/tokens.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <map>
#include <mutex>
#include <thread>

namespace evs::test {
namespace {

// One run of event-consumer on a free port, on the SQLite file `db_path`.
consumer_process start_consumer(const temp_dir& dir, const std::string& db_path, int run) {
  return consumer_process{EVS_CONSUMER_BINARY,
                          dir / ("consumer-" + std::to_string(run) + ".log"),
                          {{"DB_PATH", db_path}}};
}

// Writers with unique event_ids, in batches of 1 to 4, on keep-alive connections, until the
// server goes away or they are told to stop. They remember what they sent and what was acked.
class write_load {
 public:
  write_load(std::uint16_t port, int threads, std::string prefix)
      : token_{make_token("events:write")}, prefix_{std::move(prefix)} {
    for (int t = 0; t < threads; ++t) workers_.emplace_back([this, port, t] { run(port, t); });
  }
  ~write_load() { finish(); }
  write_load(const write_load&) = delete;
  write_load& operator=(const write_load&) = delete;

  std::size_t acked_events() const { return acked_events_.load(); }

  void finish() {
    stop_ = true;
    for (auto& w : workers_)
      if (w.joinable()) w.join();
  }

  // Call after finish().
  const std::vector<std::vector<std::string>>& sent() const { return sent_; }
  const std::vector<std::vector<std::string>>& acked() const { return acked_; }

 private:
  void run(std::uint16_t port, int t) {
    try {
      http_client client{port, std::chrono::seconds{20}};
      for (int seq = 0; !stop_; ++seq) {
        std::vector<std::string> ids;
        std::string body = "[";
        for (int i = 0; i <= seq % 4; ++i) {
          ids.push_back(prefix_ + "-" + std::to_string(t) + "-" + std::to_string(seq) + "-" +
                        std::to_string(i));
          body += (i == 0 ? "" : ",") + std::string{R"({"event_type":"crash.test","event_id":")"} +
                  ids.back() + R"(","event_payload":{"thread":)" + std::to_string(t) + "}}";
        }
        body += "]";
        record(sent_, ids);
        const auto reply = client.post("/api/event", body, token_);
        if (reply.status == 200) {
          acked_events_ += ids.size();
          record(acked_, ids);
        }
        if (!reply.keep_alive) break;
      }
    } catch (const std::exception&) {
      // The server went away (killed or stopped): this writer is done.
    }
  }

  void record(std::vector<std::vector<std::string>>& where, const std::vector<std::string>& ids) {
    const std::lock_guard lock{mutex_};
    where.push_back(ids);
  }

  std::string token_;
  std::string prefix_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> acked_events_{0};
  std::mutex mutex_;
  std::vector<std::vector<std::string>> sent_;
  std::vector<std::vector<std::string>> acked_;
  std::vector<std::thread> workers_;
};

void expect_acked_once_and_requests_whole(const std::map<std::string, int>& stored,
                                          const std::vector<std::vector<std::string>>& sent,
                                          const std::vector<std::vector<std::string>>& acked) {
  std::size_t lost = 0;
  for (const auto& batch : acked)
    for (const auto& id : batch) {
      const auto it = stored.find(id);
      if (it == stored.end()) ++lost;
    }
  EXPECT_EQ(lost, 0U) << "acknowledged events missing after the restart";

  std::size_t half_stored = 0;
  std::size_t sent_events = 0;
  for (const auto& batch : sent) {
    std::size_t present = 0;
    for (const auto& id : batch) present += stored.contains(id) ? 1U : 0U;
    if (present != 0 && present != batch.size()) ++half_stored;
    sent_events += batch.size();
  }
  EXPECT_EQ(half_stored, 0U) << "requests stored in part";

  std::size_t twice = 0;
  for (const auto& [id, count] : stored)
    if (count != 1) ++twice;
  EXPECT_EQ(twice, 0U) << "events stored more than once";
  EXPECT_LE(stored.size(), sent_events) << "events nobody sent";
}

constexpr int writer_threads = 6;
constexpr std::size_t acked_before_fault = 3000;

TEST(Crash, KillNineUnderLoadLosesNoAcknowledgedEvent) {
  temp_dir dir{"evs-crash"};
  const auto db_path = (dir / "data" / "events.db").string();
  std::vector<std::vector<std::string>> sent;
  std::vector<std::vector<std::string>> acked;

  for (int round = 0; round < 2; ++round) {
    auto consumer = start_consumer(dir, db_path, round);
    const auto port = consumer.wait_listening();
    write_load load{port, writer_threads, "kill" + std::to_string(round)};
    ASSERT_TRUE(eventually([&] { return load.acked_events() >= acked_before_fault; },
                           std::chrono::seconds{60}))
        << "the load did not get going:\n"
        << consumer.log();
    // mid-load: writers are in flight right now
    const auto status = consumer.kill_hard(std::chrono::seconds{20});
    ASSERT_TRUE(status);
    EXPECT_FALSE(status->exited);
    EXPECT_EQ(status->signal, SIGKILL);
    load.finish();
    sent.insert(sent.end(), load.sent().begin(), load.sent().end());
    acked.insert(acked.end(), load.acked().begin(), load.acked().end());
    EXPECT_LT(load.acked().size(), load.sent().size()) << "no request was in flight at the kill";
    ::testing::Test::RecordProperty("round" + std::to_string(round) + "_requests_sent",
                                    static_cast<int>(load.sent().size()));
    ::testing::Test::RecordProperty("round" + std::to_string(round) + "_requests_acked",
                                    static_cast<int>(load.acked().size()));
  }

  auto restarted = start_consumer(dir, db_path, 99);
  const auto port = restarted.wait_listening();
  const auto stored = count_stored_event_ids(port);
  expect_acked_once_and_requests_whole(stored, sent, acked);

  // Idempotency survives the crash: resending every acknowledged request stores nothing new.
  http_client client{port};
  const auto token = make_token("events:write");
  std::size_t resent = 0;
  for (std::size_t i = 0; i < acked.size() && i < 50; ++i) {
    std::string body = "[";
    for (std::size_t j = 0; j < acked[i].size(); ++j)
      body += (j == 0 ? "" : ",") + std::string{R"({"event_type":"crash.test","event_id":")"} +
              acked[i][j] + R"(","event_payload":"again"})";
    body += "]";
    const auto r = client.post("/api/event", body, token);
    ASSERT_EQ(r.status, 200U) << r.body;
    EXPECT_EQ(r.json().at("accepted").as_int64(), 0);
    resent += acked[i].size();
  }
  EXPECT_EQ(count_stored_event_ids(port).size(), stored.size());
  EXPECT_GT(resent, 0U);
}

TEST(Crash, SigtermUnderLoadExitsZeroAndKeepsEveryAcknowledgedEvent) {
  temp_dir dir{"evs-sigterm"};
  const auto db_path = (dir / "events.db").string();
  auto consumer = start_consumer(dir, db_path, 0);
  const auto port = consumer.wait_listening();
  write_load load{port, writer_threads, "term"};
  ASSERT_TRUE(eventually([&] { return load.acked_events() >= acked_before_fault; },
                         std::chrono::seconds{60}))
      << consumer.log();
  const auto status = consumer.terminate(std::chrono::seconds{30});
  ASSERT_TRUE(status) << "event-consumer did not stop after SIGTERM:\n" << consumer.log();
  EXPECT_TRUE(status->exited) << "killed by signal " << status->signal;
  EXPECT_EQ(status->code, 0) << consumer.log();
  load.finish();

  auto restarted = start_consumer(dir, db_path, 1);
  const auto stored = count_stored_event_ids(restarted.wait_listening());
  expect_acked_once_and_requests_whole(stored, load.sent(), load.acked());
  EXPECT_GE(stored.size(), acked_before_fault);
}

}  // namespace
}  // namespace evs::test
