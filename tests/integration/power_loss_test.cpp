// Durability against power loss, not only kill -9 (which the page cache survives): the real
// SQLite store, with its WAL-batching VFS, runs over a VFS that cuts the power at hundreds of
// points under concurrent load. After every cut the surviving files are opened as SQLite would
// open them after a reboot, and must hold every acknowledged request whole, no half request,
// and pass PRAGMA integrity_check.
#include "consumer/batch_writer.hpp"
#include "propagator/spool.hpp"
#include "storage/store_factory.hpp"
#include "support/crash_vfs.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace evs::test {
namespace {

constexpr int writer_threads = 4;
constexpr int requests_per_thread = 120;
constexpr int events_per_request = 3;
constexpr std::uint64_t minimum_cuts = 200;

// "r<request>-e<index>": the request an event came in is readable from its id.
std::string event_id(int request, int index) {
  return "r" + std::to_string(request) + "-e" + std::to_string(index);
}
int request_of(const std::string& id) { return std::stoi(id.substr(1, id.find('-') - 1)); }

// Acknowledged requests, as a client would record them after a 2xx.
class ack_log {
 public:
  void add(int request) {
    const std::lock_guard lock{mutex_};
    acked_.push_back(request);
  }
  std::vector<int> snapshot() const {
    const std::lock_guard lock{mutex_};
    return acked_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<int> acked_;
};

// What the next start would find in a surviving image (crash recovery included): the first
// column of `sql`, or a problem when the file does not open or fails integrity_check. A
// missing table reads as no rows.
struct image_read {
  std::string problem;
  std::vector<std::string> values;
};

image_read read_image(const std::filesystem::path& db_path, const char* sql) {
  image_read out;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, crash_vfs::real_vfs_name()) !=
      SQLITE_OK) {
    out.problem = std::string{"cannot open: "} + sqlite3_errmsg(db);
    sqlite3_close(db);
    return out;
  }
  std::string integrity;
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr);
  while (sqlite3_step(stmt) == SQLITE_ROW)
    integrity += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  if (integrity != "ok") out.problem = "integrity_check: " + integrity;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK)
    while (sqlite3_step(stmt) == SQLITE_ROW)
      out.values.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

// What is wrong with the store's image, or an empty string.
std::string check_store_image(const std::filesystem::path& db_path, const std::vector<int>& acked) {
  const auto image = read_image(db_path, "SELECT event_id FROM events");
  if (!image.problem.empty()) return image.problem;
  std::map<int, int> events_of_request;
  for (const auto& id : image.values) ++events_of_request[request_of(id)];
  for (const auto& [request, count] : events_of_request)
    if (count != events_per_request)
      return "request " + std::to_string(request) + " stored half: " + std::to_string(count) +
             " of " + std::to_string(events_per_request) + " events";
  for (const int request : acked)
    if (!events_of_request.contains(request))
      return "acknowledged request " + std::to_string(request) + " lost";
  return "";
}

// Failures found inside power cuts, reported by the test body.
class failure_log {
 public:
  void add(const power_cut& cut, const std::string& problem) {
    const std::lock_guard lock{mutex_};
    failures_.push_back("cut " + std::to_string(cut.index) +
                        (cut.mode == power_cut_mode::drop_unsynced ? " (unsynced dropped): "
                                                                   : " (unsynced torn): ") +
                        problem);
  }
  void report(std::uint64_t cuts) const {
    const std::lock_guard lock{mutex_};
    for (std::size_t i = 0; i < failures_.size() && i < 10; ++i) ADD_FAILURE() << failures_[i];
    EXPECT_TRUE(failures_.empty())
        << failures_.size() << " of " << cuts << " power cuts lost or broke something";
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> failures_;
};

// The events of one request: "r<request>-e<index>", padded so that commits span pages.
std::vector<core::new_event> events_of(int request) {
  std::vector<core::new_event> events;
  for (int e = 0; e < events_per_request; ++e)
    events.push_back({event_id(request, e), "power_loss",
                      R"({"padding":")" + std::string(200, 'x') + R"("})", std::nullopt,
                      1'700'000'000'000'000 + request});
  return events;
}

// The SQLite store over a VFS that cuts the power; after every cut, the surviving image must
// hold every request acknowledged so far, whole. `scenario` sends the requests of
// `writer_threads` clients at once: `send(events)` says whether a request was acknowledged.
class store_under_power_cuts {
 public:
  explicit store_under_power_cuts(std::string_view name)
      : dir_{name}, cuts_{make_folder(dir_ / "cuts")}, vfs_{cuts_, seed_} {
    store_ = storage::open_event_store(storage::sqlite_config{(dir_ / "events.db").string(), 2});
    vfs_.on_power_cut([this](const power_cut& cut) {
      ++cuts_by_mode_[cut.mode];
      const auto problem = check_store_image(cut.folder / "events.db", acks_.snapshot());
      if (!problem.empty()) failures_.add(cut, problem);
    });
  }

  storage::event_store& store() { return *store_; }
  crash_vfs& vfs() { return vfs_; }
  unsigned seed() const { return seed_; }
  int cuts(power_cut_mode mode) { return cuts_by_mode_[mode]; }

  template <class Send>
  void send_requests(Send send) {
    std::vector<std::thread> clients;
    for (int t = 0; t < writer_threads; ++t)
      clients.emplace_back([&, t] {
        for (int i = 0; i < requests_per_thread; ++i) {
          const int request = t * requests_per_thread + i;
          if (send(events_of(request))) acks_.add(request);
        }
      });
    for (auto& c : clients) c.join();
  }

  std::size_t acknowledged() const { return acks_.snapshot().size(); }
  void report() const { failures_.report(vfs_.power_cuts()); }

 private:
  static std::filesystem::path make_folder(const std::filesystem::path& path) {
    std::filesystem::create_directories(path);
    return path;
  }

  temp_dir dir_;
  std::filesystem::path cuts_;
  unsigned seed_ = std::random_device{}();
  crash_vfs vfs_;
  std::unique_ptr<storage::event_store> store_;
  ack_log acks_;
  failure_log failures_;
  std::map<power_cut_mode, int> cuts_by_mode_;  // written by the cut callback only
};

TEST(PowerLossTest, AcknowledgedRequestsSurviveEveryPowerCutWhole) {
  store_under_power_cuts run{"evs-power-loss"};
  SCOPED_TRACE("seed " + std::to_string(run.seed()));
  // Random points in the write stream, and right before and after every second sync.
  run.vfs().schedule(0.01, 2);
  run.send_requests(
      [&](std::vector<core::new_event> events) { return run.store().insert(events).has_value(); });
  run.vfs().stop();

  EXPECT_EQ(run.acknowledged(), std::size_t{writer_threads * requests_per_thread})
      << "every insert succeeds while the power stays on";
  EXPECT_GE(run.vfs().power_cuts(), minimum_cuts);
  EXPECT_GT(run.cuts(power_cut_mode::drop_unsynced), 0);
  EXPECT_GT(run.cuts(power_cut_mode::torn_unsynced), 0);
  std::printf("%llu power cuts (%d dropping unsynced writes, %d tearing them) over %llu syncs\n",
              static_cast<unsigned long long>(run.vfs().power_cuts()),
              run.cuts(power_cut_mode::drop_unsynced), run.cuts(power_cut_mode::torn_unsynced),
              static_cast<unsigned long long>(run.vfs().syncs()));
  run.report();
}

// The consumer's own commit path: requests through the batch writer, which merges them into
// group commits and completes each one after its group's commit. An acknowledgement (the
// completion with a success) must mean on disk, through every power cut.
TEST(PowerLossTest, BatchWriterAcknowledgesOnlyWhatIsSynced) {
  store_under_power_cuts run{"evs-power-loss-batches"};
  SCOPED_TRACE("seed " + std::to_string(run.seed()));
  // Group commits make fewer syncs than the direct inserts above: cut around every one.
  run.vfs().schedule(0.02, 1);
  consumer::batch_writer writer{run.store(), {}};
  run.send_requests([&](std::vector<core::new_event> events) {
    std::promise<bool> stored;
    auto done = stored.get_future();
    const auto queued =
        writer.submit(std::move(events), [&stored](result<storage::insert_outcome> outcome,
                                                   std::vector<core::new_event> /*events*/) {
          stored.set_value(outcome.has_value());
        });
    return queued && done.get();
  });
  writer.stop();
  run.vfs().stop();

  EXPECT_EQ(run.acknowledged(), std::size_t{writer_threads * requests_per_thread})
      << "every request is acknowledged while the power stays on";
  // A slow machine merges more requests per commit, so there are fewer syncs to cut around.
  EXPECT_GE(run.vfs().power_cuts(), minimum_cuts / 2);
  std::printf("%llu power cuts over %llu syncs of group commits\n",
              static_cast<unsigned long long>(run.vfs().power_cuts()),
              static_cast<unsigned long long>(run.vfs().syncs()));
  run.report();
}

// The propagator's promise: an event it generated and logged (append returned) is sent until a
// 2xx removes it, so no power cut may lose one; a removal may come undone (the event is sent
// again, and the consumer counts it as a duplicate).
TEST(PowerLossTest, SpoolKeepsEveryLoggedEventThroughEveryPowerCut) {
  const temp_dir dir{"evs-power-loss-spool"};
  std::filesystem::create_directories(dir / "cuts");
  const auto seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  crash_vfs vfs{dir / "cuts", seed};
  propagator::spool spool{(dir / "spool.db").string(), 1'000'000};

  std::set<std::string> logged;   // append returned
  std::set<std::string> removed;  // remove returned (delivered)
  failure_log failures;
  vfs.on_power_cut([&](const power_cut& cut) {
    const auto image = read_image(cut.folder / "spool.db", "SELECT event_id FROM spool");
    if (!image.problem.empty()) return failures.add(cut, image.problem);
    const std::set<std::string> present{image.values.begin(), image.values.end()};
    for (const auto& id : logged)
      if (!removed.contains(id) && !present.contains(id))
        return failures.add(cut, "logged event " + id + " lost");
    for (const auto& id : present)
      if (!logged.contains(id) && id.back() != '0')  // an append is all or nothing
        if (!present.contains(id.substr(0, id.size() - 1) + "0"))
          return failures.add(cut, "half an append: " + id + " without its first event");
  });
  vfs.schedule(0.02, 1);

  for (int batch = 0; batch < 150; ++batch) {
    std::vector<propagator::spooled_event> events(3);
    for (int k = 0; k < 3; ++k) {
      events[static_cast<std::size_t>(k)].event_id =
          "b" + std::to_string(batch) + "-" + std::to_string(k);
      events[static_cast<std::size_t>(k)].event_type = "power_loss";
      events[static_cast<std::size_t>(k)].payload_json = R"({"n":1})";
      events[static_cast<std::size_t>(k)].occurred_at = "2026-12-01T00:00:00Z";
    }
    ASSERT_EQ(spool.append(events), 3U);
    for (const auto& e : events) logged.insert(e.event_id);
    if (batch % 3 == 2) {  // a delivery: the oldest few leave after their 2xx
      const auto sent = spool.oldest(4);
      spool.remove(sent);
      for (const auto& e : sent) removed.insert(e.event_id);
    }
  }
  vfs.stop();

  EXPECT_GE(vfs.power_cuts(), minimum_cuts);
  std::printf("%llu power cuts of the spool over %llu syncs\n",
              static_cast<unsigned long long>(vfs.power_cuts()),
              static_cast<unsigned long long>(vfs.syncs()));
  failures.report(vfs.power_cuts());
}

}  // namespace
}  // namespace evs::test
