// Durability against power loss, not only kill -9 (which the page cache survives): the real
// SQLite store, with its WAL-batching VFS, runs over a VFS that cuts the power at hundreds of
// points under concurrent load. After every cut the surviving files are opened as SQLite would
// open them after a reboot, and must hold every acknowledged request whole, no half request,
// and pass PRAGMA integrity_check.
#include "storage/store_factory.hpp"
#include "support/crash_vfs.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
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

// Opens the surviving image as the next start would (crash recovery included) and returns what
// is wrong with it, or an empty string.
std::string check_image(const std::filesystem::path& db_path, const std::vector<int>& acked) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, crash_vfs::real_vfs_name()) !=
      SQLITE_OK) {
    const std::string message = sqlite3_errmsg(db);
    sqlite3_close(db);
    return "cannot open: " + message;
  }
  std::string problem;
  std::string integrity;
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr);
  while (sqlite3_step(stmt) == SQLITE_ROW)
    integrity += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  if (integrity != "ok") problem = "integrity_check: " + integrity;

  std::map<int, int> events_of_request;
  bool have_table = false;
  if (sqlite3_prepare_v2(db, "SELECT event_id FROM events", -1, &stmt, nullptr) == SQLITE_OK) {
    have_table = true;
    while (sqlite3_step(stmt) == SQLITE_ROW)
      ++events_of_request[request_of(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)))];
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  if (!problem.empty()) return problem;
  if (!have_table) return acked.empty() ? "" : "no events table although requests were acked";

  for (const auto& [request, count] : events_of_request)
    if (count != events_per_request)
      return "request " + std::to_string(request) + " stored half: " + std::to_string(count) +
             " of " + std::to_string(events_per_request) + " events";
  for (const int request : acked)
    if (!events_of_request.contains(request))
      return "acknowledged request " + std::to_string(request) + " lost";
  return "";
}

TEST(PowerLossTest, AcknowledgedRequestsSurviveEveryPowerCutWhole) {
  const temp_dir dir{"evs-power-loss"};
  std::filesystem::create_directories(dir / "cuts");
  const auto seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  crash_vfs vfs{dir / "cuts", seed};

  const auto store =
      storage::open_event_store(storage::sqlite_config{(dir / "events.db").string(), 2});
  ack_log acks;
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  std::map<power_cut_mode, int> cuts_by_mode;
  vfs.on_power_cut([&](const power_cut& cut) {
    ++cuts_by_mode[cut.mode];
    const auto problem = check_image(cut.folder / "events.db", acks.snapshot());
    if (problem.empty()) return;
    const std::lock_guard lock{failures_mutex};
    failures.push_back("cut " + std::to_string(cut.index) +
                       (cut.mode == power_cut_mode::drop_unsynced ? " (unsynced dropped): "
                                                                  : " (unsynced torn): ") +
                       problem);
  });
  // Random points in the write stream, and right before and after every second sync.
  vfs.schedule(0.01, 2);

  std::vector<std::thread> writers;
  for (int t = 0; t < writer_threads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < requests_per_thread; ++i) {
        const int request = t * requests_per_thread + i;
        std::vector<core::new_event> events;
        for (int e = 0; e < events_per_request; ++e)
          events.push_back({event_id(request, e), "power_loss",
                            R"({"padding":")" + std::string(200, 'x') + R"("})", std::nullopt,
                            1'700'000'000'000'000 + request});
        if (store->insert(events)) acks.add(request);
      }
    });
  }
  for (auto& w : writers) w.join();
  vfs.stop();

  EXPECT_EQ(acks.snapshot().size(), std::size_t{writer_threads * requests_per_thread})
      << "every insert succeeds while the power stays on";
  EXPECT_GE(vfs.power_cuts(), minimum_cuts);
  EXPECT_GT(cuts_by_mode[power_cut_mode::drop_unsynced], 0);
  EXPECT_GT(cuts_by_mode[power_cut_mode::torn_unsynced], 0);
  std::printf("%llu power cuts (%d dropping unsynced writes, %d tearing them) over %llu syncs\n",
              static_cast<unsigned long long>(vfs.power_cuts()),
              cuts_by_mode[power_cut_mode::drop_unsynced],
              cuts_by_mode[power_cut_mode::torn_unsynced],
              static_cast<unsigned long long>(vfs.syncs()));
  for (std::size_t i = 0; i < failures.size() && i < 10; ++i) ADD_FAILURE() << failures[i];
  EXPECT_TRUE(failures.empty()) << failures.size() << " of " << vfs.power_cuts()
                                << " power cuts lost or broke something";
}

}  // namespace
}  // namespace evs::test
