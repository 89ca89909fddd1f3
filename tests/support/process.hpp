#pragma once
// Spawning the real binaries: environment, working directory, output captured to files,
// signals, and waiting with a deadline.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace evs::test {

struct process_options {
  std::string program;
  std::vector<std::string> args;
  // Set on top of the current environment; a nullopt value removes the variable.
  std::vector<std::pair<std::string, std::optional<std::string>>> env;
  std::filesystem::path cwd;          // empty: the current directory
  std::filesystem::path stdout_path;  // empty: /dev/null
  std::filesystem::path stderr_path;  // empty: /dev/null
};

struct exit_status {
  bool exited = false;  // false: killed by a signal
  int code = -1;        // exit code when exited
  int signal = 0;       // the signal otherwise
};

class child_process {
 public:
  explicit child_process(const process_options& options);
  // A child still running is killed with SIGKILL and reaped.
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const { return pid_; }
  void send_signal(int signal);
  // nullopt when still running at the deadline.
  std::optional<exit_status> wait_for(std::chrono::milliseconds deadline);
  bool running();

 private:
  pid_t pid_ = -1;
  std::optional<exit_status> status_;
};

std::string read_text_file(const std::filesystem::path& path);

struct run_result {
  exit_status status;
  std::string out;
  std::string err;
};

// Runs to completion (killed after `deadline`) and returns its exit status and output.
run_result run_program(process_options options, const std::filesystem::path& scratch_dir,
                       std::chrono::milliseconds deadline = std::chrono::seconds{30});

}  // namespace evs::test
