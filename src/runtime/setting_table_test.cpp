#include "runtime/setting_table.hpp"
#include "runtime/env_example.hpp"
#include "support/env_guard.hpp"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace evs::runtime {
namespace {

struct sample_config {
  std::string name;
  std::string token;
  int port = -1;
  double rate = -1;
  std::string level;
};

using c = sample_config;
const setting_table<c> table = {
    text_setting<c>("EVS_T_NAME", "", "a name",
                    [](c& x, const setting_value& v) { x.name = v.text; }),
    secret_setting<c>("EVS_T_TOKEN", 8, "a token",
                      [](c& x, const setting_value& v) { x.token = v.text; }),
    integer_setting<c>("EVS_T_PORT", "8000", 1, 65535, "a port",
                       [](c& x, const setting_value& v) { x.port = v.as<int>(); }),
    number_setting<c>("EVS_T_RATE", "0.5", 0, 10, "a rate",
                      [](c& x, const setting_value& v) { x.rate = v.number; }),
    choice_setting<c>("EVS_T_LEVEL", "info", {"debug", "info"}, "a level",
                      [](c& x, const setting_value& v) { x.level = v.text; }),
};

class SettingTableTest : public ::testing::Test {
 protected:
  sample_config read_with(std::vector<std::string> args) {
    CLI::App app{"test"};
    settings s{app};
    declare(s, table);
    std::vector<const char*> argv{"prog"};
    for (const auto& a : args) argv.push_back(a.c_str());
    app.parse(static_cast<int>(argv.size()), argv.data());
    sample_config out;
    read(s, table, out);
    return out;
  }

  std::string error_of(std::vector<std::string> args) {
    try {
      read_with(std::move(args));
    } catch (const config_error& e) {
      return e.what();
    }
    return "(no config_error)";
  }

  const test::env_guard guard_{
      {"EVS_T_NAME", "EVS_T_TOKEN", "EVS_T_PORT", "EVS_T_RATE", "EVS_T_LEVEL"}};
};

TEST_F(SettingTableTest, EveryRowLandsItsDefault) {
  const auto x = read_with({});
  EXPECT_EQ(x.name, "");
  EXPECT_EQ(x.port, 8000);
  EXPECT_DOUBLE_EQ(x.rate, 0.5);
  EXPECT_EQ(x.level, "info");
  sample_config d;
  apply_defaults(table, d);
  EXPECT_EQ(d.port, 8000) << "defaults come from the same rows";
  EXPECT_DOUBLE_EQ(d.rate, 0.5);
  EXPECT_EQ(d.level, "info");
}

TEST_F(SettingTableTest, FlagsAndEnvironmentLandInTheirMembers) {
  ::setenv("EVS_T_TOKEN", "t0k-long-enough", 1);
  const auto x = read_with(
      {"--evs-t-port=9000", "--evs-t-rate", "2.25", "--evs-t-level", "DEBUG", "--evs-t-name", "n"});
  EXPECT_EQ(x.token, "t0k-long-enough");
  EXPECT_EQ(x.port, 9000);
  EXPECT_DOUBLE_EQ(x.rate, 2.25);
  EXPECT_EQ(x.level, "debug") << "a choice lands in its declared spelling";
  EXPECT_EQ(x.name, "n");
}

TEST_F(SettingTableTest, ShortSecretNamesTheKeyAndTheMinimumButNotTheValue) {
  ::setenv("EVS_T_TOKEN", "hunter2", 1);
  const auto msg = error_of({});
  EXPECT_EQ(msg, "EVS_T_TOKEN: must be at least 8 bytes, got 7");
  ::setenv("EVS_T_TOKEN", "", 1);
  EXPECT_EQ(read_with({}).token, "") << "unset is the program's to refuse or allow";
}

TEST_F(SettingTableTest, IntegerOutOfRangeNamesTheKeyAndTheRange) {
  const auto msg = error_of({"--evs-t-port=0"});
  EXPECT_EQ(msg.rfind("EVS_T_PORT: must be an integer from 1 to 65535", 0), 0u) << msg;
}

TEST_F(SettingTableTest, NumberOutOfRangeNamesTheKeyAndTheRange) {
  const auto msg = error_of({"--evs-t-rate=10.5"});
  EXPECT_EQ(msg.rfind("EVS_T_RATE: must be a number from 0 to 10", 0), 0u) << msg;
}

TEST_F(SettingTableTest, UnknownChoiceNamesTheKeyAndTheChoices) {
  const auto msg = error_of({"--evs-t-level=verbose"});
  EXPECT_EQ(msg, "EVS_T_LEVEL: must be one of debug, info, got 'verbose'");
}

TEST_F(SettingTableTest, HelpShowsRangesChoicesAndDefaults) {
  CLI::App app{"test"};
  settings s{app};
  declare(s, table);
  const auto help = app.help();
  EXPECT_NE(help.find("a port (1..65535)"), std::string::npos) << help;
  EXPECT_NE(help.find("a level (debug|info)"), std::string::npos) << help;
  EXPECT_NE(help.find("default 8000"), std::string::npos) << help;
}

TEST(SettingDefaultTest, ADefaultOutsideItsOwnRangeIsCaught) {
  const auto broken = integer_setting<sample_config>("EVS_T_PORT", "0", 1, 10, "a port",
                                                     [](sample_config&, const setting_value&) {});
  EXPECT_THROW(default_value(broken.spec), config_error);
}

TEST(EnvExampleTest, KeysWithDefaultsAndCommentedOutUnsetKeys) {
  const auto text = render_env_example("# header\n", {{"prog", describe(table)}});
  EXPECT_EQ(text.rfind("# header\n\n# --- prog ---\n# a name\n# EVS_T_NAME=\n", 0), 0u) << text;
  EXPECT_NE(text.find("# a port\nEVS_T_PORT=8000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# a token\n# EVS_T_TOKEN=\n"), std::string::npos) << text;
}

TEST(EnvExampleTest, AKeyOfTwoProgramsIsDocumentedOnceAndNamedAgain) {
  const auto text =
      render_env_example("", {{"first", describe(table)}, {"second", describe(table)}});
  EXPECT_EQ(text.find("EVS_T_PORT=8000"), text.rfind("EVS_T_PORT=8000")) << text;
  EXPECT_NE(text.find("# second also reads EVS_T_NAME, EVS_T_TOKEN, EVS_T_PORT, EVS_T_RATE, "
                      "EVS_T_LEVEL (see above)\n"),
            std::string::npos)
      << text;
}

TEST(EnvExampleTest, TwoDefaultsForOneKeyAreRefused) {
  auto other = describe(table);
  other[2].default_value = "9000";
  EXPECT_THROW(render_env_example("", {{"first", describe(table)}, {"second", other}}),
               std::logic_error);
}

}  // namespace
}  // namespace evs::runtime
