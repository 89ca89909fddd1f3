#include "propagator/cli.hpp"
#include "support/env_guard.hpp"

#include <gtest/gtest.h>
#include <CLI/CLI.hpp>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace evs::propagator {
namespace {

constexpr const char* keys[] = {"API_URL",    "API_TOKEN",  "INTERVAL_SECONDS", "EVENTS_FILE",
                                "BATCH_SIZE", "PICK_ORDER", "SPOOL_PATH",       "SPOOL_MAX_EVENTS",
                                "MAX_BATCH",  "LOG_FORMAT", "LOG_LEVEL",        "API_CA_FILE"};

class CliTest : public ::testing::Test {
 protected:
  // Every key the propagator reads: cleared for each test, restored afterwards.
  const test::env_guard guard_{{std::begin(keys), std::end(keys)}};

  struct parsed {
    config cfg;
    action what;
  };

  static parsed parse(std::vector<std::string> args) {
    CLI::App app;
    propagator_cli cli{app};
    std::vector<const char*> argv{"event-propagator"};
    for (const auto& a : args) argv.push_back(a.c_str());
    app.parse(static_cast<int>(argv.size()), argv.data());
    return {cli.read(), cli.what()};
  }

  static std::string error_of(std::vector<std::string> args) {
    try {
      parse(std::move(args));
    } catch (const runtime::config_error& e) {
      return e.what();
    }
    return "no error";
  }
};

TEST_F(CliTest, DefaultsAreTheDocumentedOnes) {
  const auto p = parse({"--api-token", "t"});
  EXPECT_EQ(p.what, action::run);
  EXPECT_EQ(p.cfg.api_url, "http://localhost:8000/api/event");
  EXPECT_EQ(p.cfg.api_token, "t");
  EXPECT_EQ(p.cfg.api_ca_file, "");
  EXPECT_EQ(p.cfg.interval_seconds, 5.0);
  EXPECT_EQ(p.cfg.events_file, "");
  EXPECT_EQ(p.cfg.batch_size, 1U);
  EXPECT_EQ(p.cfg.order, pick_order::random);
  EXPECT_EQ(p.cfg.spool_path, "./data/propagator-spool.db");
  EXPECT_EQ(p.cfg.max_batch, 1000U);
  EXPECT_EQ(p.cfg.count, 0U);
  EXPECT_EQ(p.cfg.log_format, log::format::text);
  EXPECT_EQ(p.cfg.log_level, log::level::info);
}

TEST_F(CliTest, EnvironmentFillsInAndFlagsWin) {
  ::setenv("API_TOKEN", "from-env", 1);
  ::setenv("INTERVAL_SECONDS", "0.25", 1);
  ::setenv("BATCH_SIZE", "7", 1);
  ::setenv("PICK_ORDER", "sequential", 1);
  ::setenv("LOG_FORMAT", "json", 1);
  const auto env = parse({});
  EXPECT_EQ(env.cfg.api_token, "from-env");
  EXPECT_EQ(env.cfg.interval_seconds, 0.25);
  EXPECT_EQ(env.cfg.batch_size, 7U);
  EXPECT_EQ(env.cfg.order, pick_order::sequential);
  EXPECT_EQ(env.cfg.log_format, log::format::json);
  const auto flags = parse({"--interval-seconds", "0", "--batch-size=3", "--api-token", "flag",
                            "--count", "12", "--api-url", "https://example.test/api/event"});
  EXPECT_EQ(flags.cfg.api_token, "flag");
  EXPECT_EQ(flags.cfg.interval_seconds, 0.0);
  EXPECT_EQ(flags.cfg.batch_size, 3U);
  EXPECT_EQ(flags.cfg.count, 12U);
  EXPECT_EQ(flags.cfg.api_url, "https://example.test/api/event");
}

TEST_F(CliTest, BadValuesNameTheSetting) {
  EXPECT_EQ(error_of({}).rfind("API_TOKEN:", 0), 0U);
  EXPECT_EQ(error_of({"--api-token=t", "--interval-seconds=-1"}).rfind("INTERVAL_SECONDS:", 0), 0U);
  EXPECT_EQ(error_of({"--api-token=t", "--interval-seconds=soon"}).rfind("INTERVAL_SECONDS:", 0),
            0U);
  EXPECT_EQ(error_of({"--api-token=t", "--batch-size=0"}).rfind("BATCH_SIZE:", 0), 0U);
  EXPECT_EQ(error_of({"--api-token=t", "--pick-order=shuffled"}).rfind("PICK_ORDER:", 0), 0U);
  EXPECT_EQ(error_of({"--api-token=t", "--api-url=localhost:8000"}).rfind("API_URL:", 0), 0U);
  EXPECT_EQ(error_of({"--api-token=t", "--api-url=ftp://x/y"}).rfind("API_URL:", 0), 0U);
  EXPECT_EQ(error_of({"--api-token=t", "--log-level=loud"}).rfind("LOG_LEVEL:", 0), 0U);
  EXPECT_EQ(error_of({"--api-token=t", "--count=-3"}).rfind("--count:", 0), 0U);
}

TEST_F(CliTest, ACaFileMustBeReadable) {
  const auto missing = std::filesystem::temp_directory_path() / "evs-no-such-ca.pem";
  EXPECT_EQ(error_of({"--api-token=t", "--api-ca-file=" + missing.string()}),
            "API_CA_FILE: cannot read '" + missing.string() + "'");
  const auto folder = std::filesystem::temp_directory_path().string();
  EXPECT_EQ(error_of({"--api-token=t", "--api-ca-file=" + folder}).rfind("API_CA_FILE:", 0), 0U);

  const auto ca = std::filesystem::temp_directory_path() /
                  ("evs-cli-test-ca-" + std::to_string(::getpid()) + ".pem");
  std::ofstream{ca} << "not checked here: libcurl reads it\n";
  ::setenv("API_CA_FILE", ca.c_str(), 1);
  EXPECT_EQ(parse({"--api-token=t"}).cfg.api_ca_file, ca.string());
  std::filesystem::remove(ca);
}

TEST_F(CliTest, CommandsNeedNoToken) {
  EXPECT_EQ(parse({"--dead-letters"}).what, action::list_dead_letters);
  EXPECT_EQ(parse({"--requeue-dead-letters"}).what, action::requeue_dead_letters);
  EXPECT_EQ(parse({"--sample-events"}).what, action::print_sample_events);
  EXPECT_NE(error_of({"--dead-letters", "--sample-events"}), "no error");
}

}  // namespace
}  // namespace evs::propagator
