#include "runtime/settings.hpp"
#include "support/env_guard.hpp"

#include "runtime/dotenv.hpp"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace evs::runtime {
namespace {

namespace fs = std::filesystem;

// Parses `args` (without the program name) against the keys declared by `declare`.
class SettingsTest : public ::testing::Test {
 protected:
  SettingsTest()
      : guard_{{"EVS_T_PORT", "EVS_T_HOST", "EVS_T_LEVEL", "EVS_T_RATE", "EVS_T_NAME"}} {}

  void SetUp() override {
    s_.declare("EVS_T_PORT", "8000", "listen port");
    s_.declare("EVS_T_HOST", "127.0.0.1", "listen address");
    s_.declare("EVS_T_LEVEL", "info", "log level");
    s_.declare("EVS_T_RATE", "5", "seconds between ticks");
    s_.declare("EVS_T_NAME", "", "optional name");
  }

  void parse(std::vector<std::string> args) {
    std::vector<const char*> argv{"prog"};
    for (const auto& a : args) argv.push_back(a.c_str());
    app_.parse(static_cast<int>(argv.size()), argv.data());
  }

  fs::path write_env_file(const std::string& content) {
    std::string pattern = (fs::temp_directory_path() / "evs-settings-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    EXPECT_GE(fd, 0);
    ::close(fd);
    std::ofstream{pattern} << content;
    files_.emplace_back(pattern);
    return pattern;
  }

  void TearDown() override {
    for (const auto& f : files_) fs::remove(f);
  }

  test::env_guard guard_;
  CLI::App app_{"test"};
  settings s_{app_};
  std::vector<fs::path> files_;
};

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const config_error& e) {
    return e.what();
  }
  return "(no config_error thrown)";
}

TEST_F(SettingsTest, DefaultsApplyWhenNothingIsGiven) {
  parse({});
  EXPECT_EQ(s_.text("EVS_T_PORT"), "8000");
  EXPECT_EQ(s_.integer("EVS_T_PORT", 0, 65535), 8000);
  EXPECT_EQ(s_.text("EVS_T_HOST"), "127.0.0.1");
  EXPECT_EQ(s_.optional_text("EVS_T_NAME"), std::nullopt);
}

TEST_F(SettingsTest, EnvironmentOverridesDefault) {
  ::setenv("EVS_T_PORT", "9000", 1);
  parse({});
  EXPECT_EQ(s_.integer("EVS_T_PORT", 0, 65535), 9000);
}

TEST_F(SettingsTest, FlagOverridesEnvironment) {
  ::setenv("EVS_T_PORT", "9000", 1);
  parse({"--evs-t-port", "9001"});
  EXPECT_EQ(s_.integer("EVS_T_PORT", 0, 65535), 9001);
}

TEST_F(SettingsTest, FlagWithEqualsSign) {
  parse({"--evs-t-host=0.0.0.0"});
  EXPECT_EQ(s_.text("EVS_T_HOST"), "0.0.0.0");
}

TEST_F(SettingsTest, EnvFileFillsWhatTheEnvironmentLacks) {
  load_env_file(write_env_file("EVS_T_PORT=7000\nEVS_T_NAME=from-file\n"), true);
  parse({});
  EXPECT_EQ(s_.integer("EVS_T_PORT", 0, 65535), 7000);
  EXPECT_EQ(s_.optional_text("EVS_T_NAME"), "from-file");
}

TEST_F(SettingsTest, PrecedenceIsFlagThenEnvironmentThenEnvFile) {
  ::setenv("EVS_T_PORT", "9000", 1);      // environment, overridden by the flag
  ::setenv("EVS_T_HOST", "env-host", 1);  // environment, beats the file
  load_env_file(write_env_file("EVS_T_PORT=7000\n"
                               "EVS_T_HOST=file-host\n"
                               "EVS_T_LEVEL=debug\n"),
                true);
  parse({"--evs-t-port", "9001"});
  EXPECT_EQ(s_.integer("EVS_T_PORT", 0, 65535), 9001) << "flag > environment > file";
  EXPECT_EQ(s_.text("EVS_T_HOST"), "env-host") << "environment > file";
  EXPECT_EQ(s_.text("EVS_T_LEVEL"), "debug") << "file > default";
  EXPECT_EQ(s_.text("EVS_T_RATE"), "5") << "default when nobody says otherwise";
}

TEST_F(SettingsTest, IntegerErrorsNameTheKey) {
  for (const char* bad : {"abc", "80x", "70000", "-1", "1.5", " 80", "0x50"}) {
    CLI::App app{"test"};
    settings s{app};
    s.declare("EVS_T_PORT", "8000", "listen port");
    const std::string flag = std::string{"--evs-t-port="} + bad;
    const char* argv[] = {"prog", flag.c_str()};
    app.parse(2, argv);
    const auto msg = message_of([&] { s.integer("EVS_T_PORT", 0, 65535); });
    EXPECT_NE(msg.find("EVS_T_PORT"), std::string::npos) << "'" << bad << "': " << msg;
  }
}

TEST_F(SettingsTest, IntegerBoundsAreInclusive) {
  parse({"--evs-t-port", "65535"});
  EXPECT_EQ(s_.integer("EVS_T_PORT", 0, 65535), 65535);
  EXPECT_THROW(s_.integer("EVS_T_PORT", 0, 65534), config_error);
}

TEST_F(SettingsTest, NumberAcceptsFractionsWithinRange) {
  ::setenv("EVS_T_RATE", "0.25", 1);
  parse({});
  EXPECT_DOUBLE_EQ(s_.number("EVS_T_RATE", 0, 3600), 0.25);
  EXPECT_NE(message_of([&] { s_.number("EVS_T_RATE", 1, 3600); }).find("EVS_T_RATE"),
            std::string::npos);
}

TEST_F(SettingsTest, NumberErrorsNameTheKey) {
  ::setenv("EVS_T_RATE", "soon", 1);
  parse({});
  EXPECT_NE(message_of([&] { s_.number("EVS_T_RATE", 0, 3600); }).find("EVS_T_RATE"),
            std::string::npos);
}

TEST_F(SettingsTest, ChoiceIsCaseInsensitiveAndReturnsTheDeclaredSpelling) {
  ::setenv("EVS_T_LEVEL", "WARN", 1);
  parse({});
  EXPECT_EQ(s_.choice("EVS_T_LEVEL", {"debug", "info", "warn", "error"}), "warn");
}

TEST_F(SettingsTest, ChoiceErrorNamesTheKeyAndTheChoices) {
  ::setenv("EVS_T_LEVEL", "verbose", 1);
  parse({});
  const auto msg = message_of([&] { s_.choice("EVS_T_LEVEL", {"debug", "info"}); });
  EXPECT_NE(msg.find("EVS_T_LEVEL"), std::string::npos) << msg;
  EXPECT_NE(msg.find("debug"), std::string::npos) << msg;
  EXPECT_NE(msg.find("verbose"), std::string::npos) << msg;
}

TEST_F(SettingsTest, ChoiceRefusesPrefixes) {
  ::setenv("EVS_T_LEVEL", "inf", 1);
  parse({});
  EXPECT_THROW(s_.choice("EVS_T_LEVEL", {"debug", "info"}), config_error);
}

TEST_F(SettingsTest, HelpListsKeysWithTheirDefaults) {
  const auto help = app_.help();
  EXPECT_NE(help.find("--evs-t-port"), std::string::npos) << help;
  EXPECT_NE(help.find("EVS_T_PORT"), std::string::npos) << help;
  EXPECT_NE(help.find("8000"), std::string::npos) << help;
  EXPECT_NE(help.find("listen port"), std::string::npos) << help;
}

TEST_F(SettingsTest, UnknownFlagIsAParseError) {
  EXPECT_THROW(parse({"--no-such-flag", "1"}), CLI::ParseError);
}

TEST(FlagNameTest, KeysBecomeKebabCaseFlags) {
  EXPECT_EQ(flag_name("DB_PATH"), "--db-path");
  EXPECT_EQ(flag_name("PORT"), "--port");
  EXPECT_EQ(flag_name("MAX_PAYLOAD_BYTES"), "--max-payload-bytes");
}

}  // namespace
}  // namespace evs::runtime
