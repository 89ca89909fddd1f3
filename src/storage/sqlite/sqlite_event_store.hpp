#pragma once
// The embedded default: one SQLite file in WAL mode with synchronous=FULL. One writer
// connection (SQLite allows one writer at a time) and a pool of readers, so reads never
// wait behind a commit.
#include "storage/event_store.hpp"
#include "storage/storage_config.hpp"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace evs::storage::sqlite {

class sqlite_event_store final : public event_store {
 public:
  // Creates the folder and file when missing and migrates the schema; throws on failure.
  explicit sqlite_event_store(const sqlite_config& config);
  ~sqlite_event_store() override;

  result<insert_outcome> insert(std::span<const core::new_event> events) override;
  result<core::stored_event> get(std::int64_t id) override;
  result<core::stored_event> get_by_event_id(std::string_view event_id) override;
  result<core::event_page> list(const core::list_query& query) override;
  result<core::stored_event> update(std::int64_t id, const core::event_update& update) override;
  result<void> remove(std::int64_t id) override;
  result<void> ping() override;

  // What `PRAGMA name` reports on the writer connection. Settings such as synchronous are per
  // connection, so only the writer itself can show that its commits are synced. Throws
  // evs::sqlite::error if the pragma cannot be read.
  std::string writer_pragma(std::string_view name);

 private:
  struct writer;
  struct reader;
  class reader_lease;

  reader_lease acquire_reader();
  void release_reader(std::unique_ptr<reader> r);

  std::string path_;
  std::mutex write_mutex_;
  std::unique_ptr<writer> writer_;
  std::atomic<bool> last_write_failed_{false};

  std::mutex read_mutex_;
  std::condition_variable reader_available_;
  std::vector<std::unique_ptr<reader>> idle_readers_;
};

}  // namespace evs::storage::sqlite
