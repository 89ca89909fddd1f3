// event-propagator as a user runs it: a real process, its exit codes, its signals, its
// `.env`, against a scripted HTTP server on 127.0.0.1.
#include "propagator/spool.hpp"
#include "support/file_modes.hpp"
#include "support/process.hpp"
#include "support/propagator_fakes.hpp"
#include "support/scripted_server.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

#ifndef EVS_PROPAGATOR_BIN
#error "EVS_PROPAGATOR_BIN must name the event-propagator binary"
#endif

namespace evs::propagator {
namespace {

using namespace std::chrono_literals;
using test::scripted_server;

// One run of the program in `dir`, with only the environment given (plus PATH).
class process {
 public:
  process(const std::filesystem::path& dir, std::vector<std::string> args,
          std::vector<std::string> env)
      : out_{dir / ("out-" + std::to_string(++runs_))},
        err_{dir / ("err-" + std::to_string(runs_))} {
    args.insert(args.begin(), EVS_PROPAGATOR_BIN);
    env.push_back("PATH=/usr/bin:/bin");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    const std::string cwd = dir.string();
    const std::string out = out_.string();
    const std::string err = err_.string();
    pid_ = ::fork();
    if (pid_ == 0) {
      // Only async-signal-safe calls between fork and exec.
      if (::chdir(cwd.c_str()) != 0) ::_exit(127);
      const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(o, 1);
      ::dup2(e, 2);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
  }
  ~process() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  process(const process&) = delete;
  process& operator=(const process&) = delete;

  void signal(int sig) const { ::kill(pid_, sig); }

  // The exit code, or -signal when killed; -1000 when it did not end within `limit`.
  int wait(std::chrono::milliseconds limit = 30s) {
    if (exited_) return code_;
    int status = 0;
    const bool ended =
        test::eventually([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, limit);
    if (!ended) return -1000;
    exited_ = true;
    code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    return code_;
  }

  std::string out() const { return test::read_text_file(out_); }
  std::string err() const { return test::read_text_file(err_); }

 private:
  static inline int runs_ = 0;
  std::filesystem::path out_;
  std::filesystem::path err_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int code_ = 0;
};

class PropagatorProcess : public ::testing::Test {
 protected:
  std::vector<std::string> env_for(const scripted_server& server,
                                   std::vector<std::string> extra = {}) const {
    std::vector<std::string> env{"API_URL=" + server.url(),    "API_TOKEN=process-token",
                                 "SPOOL_PATH=" + spool_path(), "INTERVAL_SECONDS=0.02",
                                 "BACKOFF_BASE_SECONDS=0.01",  "BACKOFF_MAX_SECONDS=0.05",
                                 "STATUS_INTERVAL_SECONDS=0.2"};
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
  }
  std::string spool_path() const { return (dir / "data" / "spool.db").string(); }
  std::size_t pending() const { return spool{spool_path(), 1, spool::mode::reader}.pending(); }
  std::size_t stored_ids(const scripted_server& server) const { return server.deliveries().size(); }

  test::temp_dir dir;
};

TEST_F(PropagatorProcess, HelpAndVersionExitZero) {
  process help{dir.path(), {"--help"}, {}};
  EXPECT_EQ(help.wait(), 0);
  EXPECT_NE(help.out().find("INTERVAL_SECONDS"), std::string::npos);
  EXPECT_NE(help.out().find("SPOOL_PATH"), std::string::npos);
  process version{dir.path(), {"--version"}, {}};
  EXPECT_EQ(version.wait(), 0);
  EXPECT_EQ(version.out().rfind("event-propagator ", 0), 0U);
}

TEST_F(PropagatorProcess, BadConfigurationExits2NamingTheSetting) {
  const auto one_line = [](const std::string& text) {
    return std::count(text.begin(), text.end(), '\n') == 1;
  };
  process interval{dir.path(), {"--interval-seconds", "-1"}, {"API_TOKEN=x"}};
  EXPECT_EQ(interval.wait(), 2);
  EXPECT_NE(interval.err().find("INTERVAL_SECONDS"), std::string::npos);
  EXPECT_TRUE(one_line(interval.err())) << interval.err();
  process token{dir.path(), {}, {}};
  EXPECT_EQ(token.wait(), 2);
  EXPECT_NE(token.err().find("API_TOKEN"), std::string::npos);
  process file{dir.path(), {"--events-file", "missing.json"}, {"API_TOKEN=x"}};
  EXPECT_EQ(file.wait(), 2);
  EXPECT_NE(file.err().find("EVENTS_FILE"), std::string::npos);
  process unknown{dir.path(), {"--no-such-flag"}, {"API_TOKEN=x"}};
  EXPECT_EQ(unknown.wait(), 2);
}

TEST_F(PropagatorProcess, CountDeliversExactlyThatManyAndExitsZero) {
  scripted_server server;
  process p{dir.path(), {"--count", "25", "--batch-size", "5"}, env_for(server)};
  EXPECT_EQ(p.wait(), 0) << p.err();
  EXPECT_EQ(stored_ids(server), 25U);
  EXPECT_EQ(pending(), 0U);
  EXPECT_NE(p.err().find("count reached"), std::string::npos) << p.err();
  EXPECT_NE(p.err().find("delivered=25"), std::string::npos) << p.err();
  EXPECT_EQ(server.requests().at(0).headers.at("authorization"), "Bearer process-token");
}

TEST_F(PropagatorProcess, SpoolAndItsFolderAreTheOwnersOnly) {
  scripted_server server;
  const auto old_mask = ::umask(022);  // what a login shell usually has
  process p{dir.path(), {"--count", "3"}, env_for(server)};
  ::umask(old_mask);
  EXPECT_EQ(p.wait(), 0) << p.err();
  EXPECT_EQ(test::not_owner_only(dir / "data"), std::vector<std::string>{});
}

TEST_F(PropagatorProcess, SigtermDeliversWhatIsPendingAndExitsZero) {
  scripted_server server;
  process p{dir.path(), {}, env_for(server)};
  // A status line every STATUS_INTERVAL_SECONDS tells what is going on.
  ASSERT_TRUE(test::eventually([&] {
    return p.err().find("status generated=") != std::string::npos;
  })) << p.err();
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(), 0) << p.err();
  EXPECT_EQ(pending(), 0U);
  for (const auto& [id, times] : server.deliveries()) EXPECT_EQ(times, 1) << id;
  EXPECT_NE(p.err().find("signal received"), std::string::npos) << p.err();
  EXPECT_NE(p.err().find("everything delivered"), std::string::npos) << p.err();
}

TEST_F(PropagatorProcess, SigtermWithTheEndpointDownKeepsEventsForTheNextRun) {
  std::size_t left = 0;
  {
    scripted_server down;
    for (int i = 0; i < 100'000; ++i) down.push(503, R"({"detail":"storage unavailable"})");
    process p{dir.path(), {}, env_for(down, {"SHUTDOWN_TIMEOUT_SECONDS=0.3"})};
    ASSERT_TRUE(test::eventually([&] { return down.requests().size() >= 5; })) << p.err();
    ASSERT_TRUE(test::eventually([&] { return p.err().find("pending=3") != std::string::npos; }));
    const auto before = std::chrono::steady_clock::now();
    p.signal(SIGINT);
    EXPECT_EQ(p.wait(), 0) << p.err();
    EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
    EXPECT_NE(p.err().find("stay in the spool"), std::string::npos) << p.err();
    left = pending();
    EXPECT_GE(left, 3U);
  }
  // The next run sends them first, with the ids they were given, and nothing else.
  scripted_server up;
  process again{dir.path(), {"--count", std::to_string(left)}, env_for(up)};
  EXPECT_EQ(again.wait(), 0) << again.err();
  EXPECT_EQ(stored_ids(up), left);
  EXPECT_EQ(pending(), 0U);
  EXPECT_NE(again.err().find("generated=0"), std::string::npos) << again.err();
}

TEST_F(PropagatorProcess, DeadLettersAreListedAndCanBeRequeued) {
  scripted_server server;
  server.push(422, R"({"detail":[{"loc":["body",0,"event_type"],"msg":"no","type":"x"}]})");
  process p{dir.path(), {"--count", "3"}, env_for(server)};
  EXPECT_EQ(p.wait(), 0) << p.err();
  EXPECT_NE(p.err().find("dead letters"), std::string::npos);

  process list{dir.path(), {"--dead-letters"}, env_for(server)};
  EXPECT_EQ(list.wait(), 0) << list.err();
  const auto lines = list.out();
  EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 1);
  const auto letter = boost::json::parse(lines).as_object();
  EXPECT_EQ(letter.at("status").as_int64(), 422);
  EXPECT_FALSE(server.deliveries().contains(std::string{letter.at("event_id").as_string()}));

  process requeue{dir.path(), {"--requeue-dead-letters"}, env_for(server)};
  EXPECT_EQ(requeue.wait(), 0) << requeue.err();
  EXPECT_EQ(pending(), 1U);
  process resend{dir.path(), {"--count", "1"}, env_for(server)};
  EXPECT_EQ(resend.wait(), 0) << resend.err();
  EXPECT_TRUE(server.deliveries().contains(std::string{letter.at("event_id").as_string()}));
}

TEST_F(PropagatorProcess, DotEnvFillsInBelowEnvironmentAndFlags) {
  scripted_server server;
  std::ofstream{dir / ".env"} << "API_URL=" << server.url() << "\nAPI_TOKEN=from-dot-env\n"
                              << "SPOOL_PATH=" << spool_path() << "\nINTERVAL_SECONDS=0.01\n"
                              << "BATCH_SIZE=4\n";
  process from_file{dir.path(), {"--count", "4"}, {}};
  EXPECT_EQ(from_file.wait(), 0) << from_file.err();
  EXPECT_EQ(server.requests().back().headers.at("authorization"), "Bearer from-dot-env");
  EXPECT_EQ(testing::scripted_sender::ids_in(server.requests().back().body).size(), 4U);

  process overridden{dir.path(), {"--count", "2", "--batch-size", "2"}, {"API_TOKEN=from-env"}};
  EXPECT_EQ(overridden.wait(), 0) << overridden.err();
  EXPECT_EQ(server.requests().back().headers.at("authorization"), "Bearer from-env")
      << overridden.err();
  EXPECT_EQ(testing::scripted_sender::ids_in(server.requests().back().body).size(), 2U);
}

TEST_F(PropagatorProcess, OnePropagatorPerSpool) {
  scripted_server server;
  process first{dir.path(), {}, env_for(server)};
  ASSERT_TRUE(test::eventually([&] { return !server.requests().empty(); })) << first.err();
  process second{dir.path(), {}, env_for(server)};
  EXPECT_EQ(second.wait(), 2);
  EXPECT_NE(second.err().find("SPOOL_PATH"), std::string::npos) << second.err();
  process list{dir.path(), {"--dead-letters"}, env_for(server)};
  EXPECT_EQ(list.wait(), 0) << "reading needs no lock: " << list.err();
  first.signal(SIGTERM);
  EXPECT_EQ(first.wait(), 0);
}

}  // namespace
}  // namespace evs::propagator
