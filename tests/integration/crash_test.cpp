// The real event-consumer binary under concurrent load: kill -9 at an arbitrary moment, or
// SIGTERM, then a restart on the same SQLite file. Every acknowledged event must be there
// exactly once, and every request all or nothing.
#include "support/http_client.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/tokens.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <map>
#include <mutex>
#include <regex>
#include <thread>

namespace evs::test {
namespace {

// One run of event-consumer on a free port; its log goes to a file we read for the port.
class consumer_process {
 public:
  consumer_process(const temp_dir& dir, const std::string& db_path, int run) {
    log_path_ = dir / ("consumer-" + std::to_string(run) + ".log");
    process_options options;
    options.program = EVS_CONSUMER_BINARY;
    options.cwd = dir.path();
    options.stderr_path = log_path_;
    options.env = {{"SECRET_KEY", std::string{test_secret}},
                   {"ALGORITHM", "HS256"},
                   {"HOST", "127.0.0.1"},
                   {"PORT", "0"},
                   {"THREADS", "2"},
                   {"DB_PATH", db_path},
                   {"DATABASE_URL", std::nullopt},
                   {"DB_HOSTNAME", std::nullopt},
                   {"LOG_FORMAT", "text"},
                   {"LOG_LEVEL", "info"},
                   {"SHUTDOWN_TIMEOUT_SECONDS", "10"}};
    process_ = std::make_unique<child_process>(options);
  }

  // The port from "event-consumer listening address=http://127.0.0.1:PORT".
  std::uint16_t wait_listening() {
    static const std::regex listening{R"(listening address=http://127\.0\.0\.1:(\d+))"};
    std::uint16_t port = 0;
    const bool up = eventually([&] {
      std::smatch m;
      const auto log = read_text_file(log_path_);
      if (std::regex_search(log, m, listening)) {
        port = static_cast<std::uint16_t>(std::stoi(m[1].str()));
        return true;
      }
      return !process_->running();
    });
    if (!up || port == 0)
      throw std::runtime_error("event-consumer did not start:\n" + read_text_file(log_path_));
    return port;
  }

  child_process& process() { return *process_; }
  std::string log() const { return read_text_file(log_path_); }

 private:
  std::filesystem::path log_path_;
  std::unique_ptr<child_process> process_;
};

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

// event_id -> how many times it is stored, over HTTP, walking every page.
std::map<std::string, int> stored_event_ids(std::uint16_t port) {
  std::map<std::string, int> stored;
  const auto token = make_token("events:read");
  http_client client{port};
  std::string cursor;
  for (;;) {
    std::string target = "/api/events?limit=1000";
    if (!cursor.empty()) target += "&cursor=" + cursor;
    const auto r = client.get(target, token);
    if (r.status != 200) throw std::runtime_error("listing failed: " + r.body);
    const auto body = r.json().as_object();
    for (const auto& e : body.at("items").as_array())
      ++stored[std::string{e.at("event_id").as_string()}];
    if (body.at("next_cursor").is_null()) return stored;
    cursor = std::string{body.at("next_cursor").as_string()};
  }
}

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
    consumer_process consumer{dir, db_path, round};
    const auto port = consumer.wait_listening();
    write_load load{port, writer_threads, "kill" + std::to_string(round)};
    ASSERT_TRUE(eventually([&] { return load.acked_events() >= acked_before_fault; },
                           std::chrono::seconds{60}))
        << "the load did not get going:\n"
        << consumer.log();
    consumer.process().send_signal(SIGKILL);  // mid-load: writers are in flight right now
    const auto status = consumer.process().wait_for(std::chrono::seconds{20});
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

  consumer_process restarted{dir, db_path, 99};
  const auto port = restarted.wait_listening();
  const auto stored = stored_event_ids(port);
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
  EXPECT_EQ(stored_event_ids(port).size(), stored.size());
  EXPECT_GT(resent, 0U);
}

TEST(Crash, SigtermUnderLoadExitsZeroAndKeepsEveryAcknowledgedEvent) {
  temp_dir dir{"evs-sigterm"};
  const auto db_path = (dir / "events.db").string();
  consumer_process consumer{dir, db_path, 0};
  const auto port = consumer.wait_listening();
  write_load load{port, writer_threads, "term"};
  ASSERT_TRUE(eventually([&] { return load.acked_events() >= acked_before_fault; },
                         std::chrono::seconds{60}))
      << consumer.log();
  consumer.process().send_signal(SIGTERM);
  const auto status = consumer.process().wait_for(std::chrono::seconds{30});
  ASSERT_TRUE(status) << "event-consumer did not stop after SIGTERM:\n" << consumer.log();
  EXPECT_TRUE(status->exited) << "killed by signal " << status->signal;
  EXPECT_EQ(status->code, 0) << consumer.log();
  load.finish();

  consumer_process restarted{dir, db_path, 1};
  const auto stored = stored_event_ids(restarted.wait_listening());
  expect_acked_once_and_requests_whole(stored, load.sent(), load.acked());
  EXPECT_GE(stored.size(), acked_before_fault);
}

}  // namespace
}  // namespace evs::test
