#include "runtime/dotenv.hpp"
#include "support/env_guard.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace evs::runtime {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> env(const char* key) {
  const char* value = std::getenv(key);
  if (value == nullptr) return std::nullopt;
  return std::string{value};
}

class DotenvTest : public ::testing::Test {
 protected:
  fs::path write(const std::string& name, const std::string& content) {
    const auto path = dir_ / name;
    std::ofstream{path} << content;
    return path;
  }

  const test::temp_dir tmp_{"evs-dotenv"};
  const fs::path dir_ = tmp_.path();
};

TEST_F(DotenvTest, ReadsPlainValues) {
  const test::env_guard guard{{"EVS_T_PLAIN", "EVS_T_SPACED", "EVS_T_EQUALS", "EVS_T_EMPTY"}};
  load_env_file(write(".env",
                      "EVS_T_PLAIN=value\n"
                      "  EVS_T_SPACED  =  spaced value  \n"
                      "EVS_T_EQUALS=postgresql://u:p@h/db?x=1\n"
                      "EVS_T_EMPTY=\n"),
                true);
  EXPECT_EQ(env("EVS_T_PLAIN"), "value");
  EXPECT_EQ(env("EVS_T_SPACED"), "spaced value");
  EXPECT_EQ(env("EVS_T_EQUALS"), "postgresql://u:p@h/db?x=1");
  EXPECT_EQ(env("EVS_T_EMPTY"), "");
}

TEST_F(DotenvTest, HandlesQuotes) {
  const test::env_guard guard{
      {"EVS_T_DQ", "EVS_T_SQ", "EVS_T_DQ_ESC", "EVS_T_SQ_RAW", "EVS_T_HASH"}};
  load_env_file(write(".env",
                      "EVS_T_DQ=\"two words\"\n"
                      "EVS_T_SQ='single quoted'\n"
                      "EVS_T_DQ_ESC=\"say \\\"hi\\\"\\nbye\"\n"
                      "EVS_T_SQ_RAW='no \\n escapes'\n"
                      "EVS_T_HASH=\"keeps # inside quotes\"\n"),
                true);
  EXPECT_EQ(env("EVS_T_DQ"), "two words");
  EXPECT_EQ(env("EVS_T_SQ"), "single quoted");
  EXPECT_EQ(env("EVS_T_DQ_ESC"), "say \"hi\"\nbye");
  EXPECT_EQ(env("EVS_T_SQ_RAW"), "no \\n escapes");
  EXPECT_EQ(env("EVS_T_HASH"), "keeps # inside quotes");
}

TEST_F(DotenvTest, SkipsCommentsBlankLinesAndJunk) {
  const test::env_guard guard{{"EVS_T_A", "EVS_T_B", "EVS_T_COMMENTED", "EVS_T_HASHY"}};
  load_env_file(write(".env",
                      "# a comment\n"
                      "\n"
                      "   \n"
                      "  # indented comment\n"
                      "#EVS_T_COMMENTED=no\n"
                      "this line has no equals sign\n"
                      "=no key\n"
                      "EVS_T_A=1 # trailing comment\n"
                      "EVS_T_HASHY=a#b\n"
                      "EVS_T_B=2\r\n"),
                true);
  EXPECT_EQ(env("EVS_T_A"), "1");
  EXPECT_EQ(env("EVS_T_B"), "2") << "Windows line endings are tolerated";
  EXPECT_EQ(env("EVS_T_HASHY"), "a#b") << "a # inside a word is not a comment";
  EXPECT_EQ(env("EVS_T_COMMENTED"), std::nullopt);
}

TEST_F(DotenvTest, AcceptsExportPrefix) {
  const test::env_guard guard{{"EVS_T_EXPORTED", "EVS_T_EXPORTED_Q"}};
  load_env_file(write(".env",
                      "export EVS_T_EXPORTED=yes\n"
                      "export   EVS_T_EXPORTED_Q=\"quoted yes\"\n"),
                true);
  EXPECT_EQ(env("EVS_T_EXPORTED"), "yes");
  EXPECT_EQ(env("EVS_T_EXPORTED_Q"), "quoted yes");
}

TEST_F(DotenvTest, DoesNotOverrideTheEnvironment) {
  const test::env_guard guard{{"EVS_T_SET", "EVS_T_SET_EMPTY", "EVS_T_UNSET"}};
  ::setenv("EVS_T_SET", "from environment", 1);
  ::setenv("EVS_T_SET_EMPTY", "", 1);
  load_env_file(write(".env",
                      "EVS_T_SET=from file\n"
                      "EVS_T_SET_EMPTY=from file\n"
                      "EVS_T_UNSET=from file\n"),
                true);
  EXPECT_EQ(env("EVS_T_SET"), "from environment");
  EXPECT_EQ(env("EVS_T_SET_EMPTY"), "") << "set to empty is still set";
  EXPECT_EQ(env("EVS_T_UNSET"), "from file");
}

TEST_F(DotenvTest, FirstDefinitionInTheFileWins) {
  // Once a key is set, later lines are like any other existing variable.
  const test::env_guard guard{{"EVS_T_TWICE"}};
  load_env_file(write(".env", "EVS_T_TWICE=first\nEVS_T_TWICE=second\n"), true);
  EXPECT_EQ(env("EVS_T_TWICE"), "first");
}

// The message of the exception `f` throws, or "" when it throws none.
template <class F>
std::string thrown_message(F f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST_F(DotenvTest, MissingExplicitFileThrowsNamingTheFlag) {
  const auto path = dir_ / "does-not-exist.env";
  EXPECT_EQ(thrown_message([&] { load_env_file(path, true); }),
            "--env-file: cannot read " + path.string());
}

TEST_F(DotenvTest, MissingDefaultFileIsFine) {
  EXPECT_NO_THROW(load_env_file(dir_ / "does-not-exist.env", false));
}

TEST_F(DotenvTest, EnvFileFlagLoadsThatFile) {
  const test::env_guard guard{{"EVS_T_FROM_FLAG"}};
  const auto path = write("custom.env", "EVS_T_FROM_FLAG=custom\n").string();
  const char* argv[] = {"prog", "--env-file", path.c_str()};
  load_env_file_from_args(3, argv);
  EXPECT_EQ(env("EVS_T_FROM_FLAG"), "custom");
}

TEST_F(DotenvTest, EnvFileFlagNamingAMissingFileThrowsNamingTheFlag) {
  const auto path = (dir_ / "missing.env").string();
  const char* argv[] = {"prog", "--env-file", path.c_str()};
  EXPECT_EQ(thrown_message([&] { load_env_file_from_args(3, argv); }),
            "--env-file: cannot read " + path);
}

TEST(FindEnvFileFlagTest, FindsBothSpellings) {
  const char* separate[] = {"prog", "--port", "1", "--env-file", "a.env"};
  EXPECT_EQ(find_env_file_flag(5, separate), "a.env");
  const char* joined[] = {"prog", "--env-file=b.env", "--port=1"};
  EXPECT_EQ(find_env_file_flag(3, joined), "b.env");
}

TEST(FindEnvFileFlagTest, AbsentOrIncomplete) {
  const char* none[] = {"prog", "--port", "1"};
  EXPECT_EQ(find_env_file_flag(3, none), std::nullopt);
  const char* dangling[] = {"prog", "--env-file"};
  EXPECT_EQ(find_env_file_flag(2, dangling), std::nullopt);
  const char* lookalike[] = {"prog", "--env-files=x"};
  EXPECT_EQ(find_env_file_flag(2, lookalike), std::nullopt);
  const char* program_name_only[] = {"--env-file=x"};
  EXPECT_EQ(find_env_file_flag(1, program_name_only), std::nullopt) << "argv[0] is the program";
}

}  // namespace
}  // namespace evs::runtime
