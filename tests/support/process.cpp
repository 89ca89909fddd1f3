#include "support/process.hpp"

#include "support/wait.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <system_error>

extern char** environ;

namespace evs::test {
namespace {

std::vector<std::string> build_environment(const process_options& options) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry{*e};
    const auto eq = entry.find('=');
    if (eq != std::string::npos) vars[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [name, value] : options.env) {
    if (value)
      vars[name] = *value;
    else
      vars.erase(name);
  }
  std::vector<std::string> out;
  for (const auto& [name, value] : vars) out.push_back(name + "=" + value);
  return out;
}

exit_status decode(int status) {
  exit_status s;
  if (WIFEXITED(status)) {
    s.exited = true;
    s.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    s.signal = WTERMSIG(status);
  }
  return s;
}

// posix_spawn: safe in a multi-threaded test process, unlike fork + setenv.
class file_actions {
 public:
  file_actions() { posix_spawn_file_actions_init(&actions_); }
  ~file_actions() { posix_spawn_file_actions_destroy(&actions_); }
  file_actions(const file_actions&) = delete;
  file_actions& operator=(const file_actions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_{};
};

}  // namespace

child_process::child_process(const process_options& options) {
  std::vector<std::string> argv_strings{options.program};
  argv_strings.insert(argv_strings.end(), options.args.begin(), options.args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  auto env_strings = build_environment(options);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  file_actions actions;
  const std::string out = options.stdout_path.empty() ? "/dev/null" : options.stdout_path.string();
  const std::string err = options.stderr_path.empty() ? "/dev/null" : options.stderr_path.string();
  posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(actions.get(), STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_addopen(actions.get(), STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  const std::string cwd = options.cwd.string();
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(actions.get(), cwd.c_str());

  const int rc =
      posix_spawn(&pid_, options.program.c_str(), actions.get(), nullptr, argv.data(), envp.data());
  if (rc != 0)
    throw std::system_error(rc, std::generic_category(), "posix_spawn " + options.program);
}

child_process::~child_process() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

void child_process::send_signal(int signal) {
  if (!status_) ::kill(pid_, signal);
}

bool child_process::running() {
  if (status_) return false;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) status_ = decode(status);
  return !status_;
}

std::optional<exit_status> child_process::wait_for(std::chrono::milliseconds deadline) {
  if (!eventually([this] { return !running(); }, deadline)) return std::nullopt;
  return status_;
}

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in{path, std::ios::binary};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

run_result run_program(process_options options, const std::filesystem::path& scratch_dir,
                       std::chrono::milliseconds deadline) {
  static std::atomic<int> counter{0};
  const auto n = std::to_string(++counter);
  options.stdout_path = scratch_dir / ("run-" + n + ".out");
  options.stderr_path = scratch_dir / ("run-" + n + ".err");
  child_process child{options};
  const auto status = child.wait_for(deadline);
  if (!status) throw std::runtime_error(options.program + " did not exit in time");
  return {*status, read_text_file(options.stdout_path), read_text_file(options.stderr_path)};
}

}  // namespace evs::test
