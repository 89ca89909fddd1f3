// The programs as users start them: --help, --version, and exit code 2 with a one-line
// message naming the setting when the configuration is bad.
#include "support/consumer_process.hpp"
#include "support/file_modes.hpp"
#include "support/http_client.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <algorithm>

namespace evs::test {
namespace {

struct program {
  const char* name;
  const char* path;
};
std::ostream& operator<<(std::ostream& os, const program& p) { return os << p.name; }

const program programs[] = {{"event_consumer", EVS_CONSUMER_BINARY},
                            {"event_token", EVS_TOKEN_BINARY}};

class Programs : public ::testing::TestWithParam<program> {
 protected:
  run_result run(std::vector<std::string> args,
                 std::vector<std::pair<std::string, std::optional<std::string>>> env = {}) {
    process_options options;
    options.program = GetParam().path;
    options.args = std::move(args);
    // A clean slate: no settings inherited from whoever runs the tests, no .env file.
    for (const auto* key : {"SECRET_KEY", "ALGORITHM", "DATABASE_URL", "DB_HOSTNAME", "DB_PATH",
                            "PORT", "HOST", "LOG_FORMAT", "LOG_LEVEL"})
      options.env.emplace_back(key, std::nullopt);
    options.env.insert(options.env.end(), env.begin(), env.end());
    options.cwd = dir_.path();
    return run_program(options, dir_.path());
  }

  temp_dir dir_{"evs-programs"};
};

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST_P(Programs, HelpExitsZeroAndNamesTheSettings) {
  const auto r = run({"--help"});
  EXPECT_TRUE(r.status.exited);
  EXPECT_EQ(r.status.code, 0) << r.err;
  EXPECT_NE(r.out.find("SECRET_KEY"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--version"), std::string::npos) << r.out;
}

TEST_P(Programs, VersionExitsZero) {
  const auto r = run({"--version"});
  EXPECT_EQ(r.status.code, 0) << r.err;
  EXPECT_NE(r.out.find(EVS_VERSION), std::string::npos) << r.out;
  EXPECT_EQ(line_count(r.out), 1U) << r.out;
}

TEST_P(Programs, ShortSecretKeyExitsTwoNamingTheMinimum) {
  // Both the consumer and event-token: an HMAC key shorter than 32 bytes is guessable offline.
  for (const std::string& key : {std::string{"a"}, std::string(31, 'k')}) {
    const auto r = run({}, {{"SECRET_KEY", key}});
    EXPECT_TRUE(r.status.exited);
    EXPECT_EQ(r.status.code, 2) << r.out << r.err;
    EXPECT_NE(
        r.err.find("SECRET_KEY: must be at least 32 bytes, got " + std::to_string(key.size())),
        std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find(key + "\n"), std::string::npos) << "the key itself is never printed";
    EXPECT_EQ(line_count(r.err), 1U) << r.err;
  }
}

TEST_P(Programs, MissingSecretKeyExitsTwoWithOneLineNamingIt) {
  const auto r = run({});
  EXPECT_TRUE(r.status.exited);
  EXPECT_EQ(r.status.code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("SECRET_KEY"), std::string::npos) << r.err;
  EXPECT_EQ(line_count(r.err), 1U) << r.err;
}

TEST_P(Programs, BadAlgorithmExitsTwoNamingIt) {
  const auto r =
      run({}, {{"SECRET_KEY", "s-0123456789abcdef0123456789abcdef"}, {"ALGORITHM", "RS256"}});
  EXPECT_EQ(r.status.code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("ALGORITHM"), std::string::npos) << r.err;
  EXPECT_EQ(line_count(r.err), 1U) << r.err;
}

TEST_P(Programs, UnknownFlagExitsTwo) {
  const auto r = run({"--no-such-flag"}, {{"SECRET_KEY", "s-0123456789abcdef0123456789abcdef"}});
  EXPECT_EQ(r.status.code, 2) << r.out << r.err;
  EXPECT_FALSE(r.err.empty());
}

struct program_name {
  template <class ParamInfo>
  std::string operator()(const ParamInfo& param_info) const {
    return param_info.param.name;
  }
};

INSTANTIATE_TEST_SUITE_P(All, Programs, ::testing::ValuesIn(programs), program_name{});

TEST(ProgramsToken, MintsATokenForTheConsumer) {
  temp_dir dir{"evs-token"};
  process_options options;
  options.program = EVS_TOKEN_BINARY;
  options.args = {"--sub", "tester", "--scope", "events:read", "--ttl", "1h"};
  options.env = {{"SECRET_KEY", "s3cret-0123456789abcdef0123456789abcdef"},
                 {"ALGORITHM", std::nullopt}};
  options.cwd = dir.path();
  const auto r = run_program(options, dir.path());
  EXPECT_EQ(r.status.code, 0) << r.err;
  EXPECT_EQ(line_count(r.out), 1U);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '.'), 2);
}

TEST(ProgramsToken, HugeTtlExitsTwoNamingIt) {
  temp_dir dir{"evs-token"};
  for (const char* ttl : {"9223372036854775807d", "106751991167301d", "36501d", "3153600001"}) {
    process_options options;
    options.program = EVS_TOKEN_BINARY;
    options.args = {"--ttl", ttl};
    options.env = {{"SECRET_KEY", "s3cret-0123456789abcdef0123456789abcdef"},
                   {"ALGORITHM", std::nullopt}};
    options.cwd = dir.path();
    const auto r = run_program(options, dir.path());
    EXPECT_EQ(r.status.code, 2) << ttl << ": " << r.out << r.err;
    EXPECT_TRUE(r.out.empty()) << ttl << ": " << r.out;
    EXPECT_NE(r.err.find("--ttl"), std::string::npos) << ttl << ": " << r.err;
    EXPECT_EQ(line_count(r.err), 1U) << ttl << ": " << r.err;
  }
}

TEST(ProgramsToken, HundredYearTtlIsAccepted) {
  temp_dir dir{"evs-token"};
  process_options options;
  options.program = EVS_TOKEN_BINARY;
  options.args = {"--ttl", "36500d"};
  options.env = {{"SECRET_KEY", "s3cret-0123456789abcdef0123456789abcdef"},
                 {"ALGORITHM", std::nullopt}};
  options.cwd = dir.path();
  const auto r = run_program(options, dir.path());
  EXPECT_EQ(r.status.code, 0) << r.err;
  EXPECT_EQ(line_count(r.out), 1U) << r.out;
}

TEST(ProgramsConsumer, BadPortExitsTwoNamingIt) {
  temp_dir dir{"evs-consumer"};
  process_options options;
  options.program = EVS_CONSUMER_BINARY;
  options.env = {{"SECRET_KEY", "s-0123456789abcdef0123456789abcdef"},
                 {"PORT", "not-a-port"},
                 {"DB_PATH", (dir / "e.db").string()}};
  options.cwd = dir.path();
  const auto r = run_program(options, dir.path());
  EXPECT_EQ(r.status.code, 2) << r.err;
  EXPECT_NE(r.err.find("PORT"), std::string::npos) << r.err;
  EXPECT_EQ(line_count(r.err), 1U) << r.err;
}

TEST(ProgramsConsumer, PortInUseExitsTwoNamingIt) {
  // Another listener holds a port; a consumer asked to use it must refuse, not share it.
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor holder{
      ioc, boost::asio::ip::tcp::endpoint{boost::asio::ip::make_address("127.0.0.1"), 0}};
  const auto busy_port = holder.local_endpoint().port();

  temp_dir dir{"evs-consumer"};
  process_options options;
  options.program = EVS_CONSUMER_BINARY;
  options.env = {{"SECRET_KEY", "s-0123456789abcdef0123456789abcdef"},
                 {"HOST", "127.0.0.1"},
                 {"PORT", std::to_string(busy_port)},
                 {"DB_PATH", (dir / "e.db").string()}};
  options.cwd = dir.path();
  const auto r = run_program(options, dir.path());
  EXPECT_EQ(r.status.code, 2) << r.err;
  EXPECT_NE(r.err.find("PORT"), std::string::npos) << r.err;
  EXPECT_EQ(line_count(r.err), 1U) << r.err;
}

TEST(ProgramsFiles, ConsumerCreatesItsDataOwnerOnly) {
  temp_dir dir{"evs-modes"};
  const auto old_mask = ::umask(022);  // what a login shell usually has
  consumer_process consumer{EVS_CONSUMER_BINARY,
                            dir / "consumer.log",
                            {{"DB_PATH", (dir / "data" / "sub" / "events.db").string()}}};
  ::umask(old_mask);
  consumer.wait_listening();
  // While it runs: the database, its -wal and -shm, and both folders it made.
  EXPECT_TRUE(std::filesystem::exists(dir / "data" / "sub" / "events.db-wal"));
  EXPECT_EQ(not_owner_only(dir / "data"), std::vector<std::string>{});
  EXPECT_TRUE(consumer.terminate(std::chrono::seconds{10}));
}

// JWT_AUDIENCE / JWT_ISSUER on the real consumer, with tokens from the real event-token.
TEST(ProgramsToken, ConsumerWithAudienceAndIssuerAcceptsOnlyTokensCarryingBoth) {
  temp_dir dir{"evs-audience"};
  const std::string secret = "audience-test-secret-0123456789abcdef";
  const auto mint = [&](std::vector<std::string> args) {
    process_options options;
    options.program = EVS_TOKEN_BINARY;
    options.args = std::move(args);
    options.env = {{"SECRET_KEY", secret}, {"ALGORITHM", std::nullopt}};
    options.cwd = dir.path();
    const auto r = run_program(options, dir.path());
    EXPECT_EQ(r.status.code, 0) << r.err;
    return r.out.substr(0, r.out.find('\n'));
  };
  const auto both = mint({"--aud", "events-api", "--iss", "https://auth.example"});
  const auto audience_only = mint({"--aud", "events-api"});
  const auto neither = mint({});

  consumer_process consumer{EVS_CONSUMER_BINARY,
                            dir / "consumer.log",
                            {{"SECRET_KEY", secret},
                             {"JWT_AUDIENCE", "events-api"},
                             {"JWT_ISSUER", "https://auth.example"},
                             {"DB_PATH", (dir / "events.db").string()}}};
  const auto port = consumer.wait_listening();
  const auto ready = [&](const std::string& token) {
    return http_once(port, "GET", "/api/ready", {}, {{"Authorization", "Bearer " + token}});
  };
  EXPECT_EQ(ready(both).status, 200U);
  const auto no_issuer = ready(audience_only);
  EXPECT_EQ(no_issuer.status, 401U);
  EXPECT_NE(no_issuer.body.find("invalid issuer"), std::string::npos) << no_issuer.body;
  const auto no_audience = ready(neither);
  EXPECT_EQ(no_audience.status, 401U);
  EXPECT_NE(no_audience.body.find("invalid audience"), std::string::npos) << no_audience.body;
  EXPECT_TRUE(consumer.terminate(std::chrono::seconds{10}));
}

}  // namespace
}  // namespace evs::test
