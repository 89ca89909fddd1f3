#pragma once
// One run of the real event-consumer binary on a port of 127.0.0.1 the kernel picks, its log
// (stderr) in a file: started with the settings a test gives, read for the port it listens on,
// and stopped with SIGKILL or SIGTERM.
#include "support/process.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace evs::test {

// Environment variables for a child; a nullopt value removes the variable.
using env_settings = std::vector<std::pair<std::string, std::optional<std::string>>>;

// Sets `name` in `env`, replacing an earlier value of it.
void set_env(env_settings& env, const std::string& name, std::optional<std::string> value);

// What every run starts from: the test tokens' key, 127.0.0.1 on port 0, two threads, a text
// log at info level (wait_listening() reads it), and none of the storage settings of whoever
// runs the tests (scripts/with-postgres exports DB_*), so only what a test sets decides where
// the consumer stores events.
env_settings consumer_environment();

// `program` (the event-consumer binary) with consumer_environment() and `overrides` on top,
// run in `cwd`.
process_options consumer_options(std::string program, const env_settings& overrides,
                                 std::filesystem::path cwd);

class consumer_process {
 public:
  // Starts `program` with consumer_options(), in the folder of `log_path` (a test's temp_dir,
  // with no .env file), its stderr appended to `log_path`.
  consumer_process(std::string program, std::filesystem::path log_path,
                   const env_settings& overrides = {});

  // The port from "event-consumer listening address=http://127.0.0.1:PORT". Throws, with the
  // log, when the process exits first or the line is not there by the deadline.
  std::uint16_t wait_listening(std::chrono::milliseconds deadline = std::chrono::seconds{20});

  // SIGKILL, then the exit status; nullopt when still running at the deadline.
  std::optional<exit_status> kill_hard(std::chrono::milliseconds deadline);
  // SIGTERM, then the exit status; nullopt when still running at the deadline.
  std::optional<exit_status> terminate(std::chrono::milliseconds deadline);

  child_process& process() { return *process_; }
  std::string log() const;
  const std::filesystem::path& log_path() const { return log_path_; }

 private:
  std::filesystem::path log_path_;
  std::unique_ptr<child_process> process_;
};

// event_id -> how many times it is stored, over HTTP from the consumer on `port`, walking
// every page of GET /api/events with `filters` ("&event_type=...") appended to the query.
std::map<std::string, int> count_stored_event_ids(std::uint16_t port,
                                                  const std::string& filters = {});

// event_id -> how many times it is stored, read straight from a consumer's SQLite file (also
// while the consumer runs: WAL allows it). Empty when the file does not exist yet.
std::map<std::string, int> sqlite_stored_event_ids(const std::filesystem::path& db_path);

}  // namespace evs::test
