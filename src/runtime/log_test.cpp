#include "runtime/log.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace evs::log {
namespace {

// Sends file descriptor 2 to a temporary file until text() is called; puts it back either way.
class stderr_capture {
 public:
  stderr_capture() {
    std::string pattern = (std::filesystem::temp_directory_path() / "evs-log-test-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    path_ = pattern;
    std::fflush(stderr);
    saved_ = ::dup(STDERR_FILENO);
    ::dup2(fd, STDERR_FILENO);
    ::close(fd);
  }
  ~stderr_capture() {
    restore();
    std::filesystem::remove(path_);
  }
  stderr_capture(const stderr_capture&) = delete;
  stderr_capture& operator=(const stderr_capture&) = delete;

  std::string text() {
    restore();
    std::ifstream in{path_, std::ios::binary};
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

 private:
  void restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    saved_ = -1;
  }

  std::filesystem::path path_;
  int saved_ = -1;
};

class LogTest : public ::testing::Test {
 protected:
  void TearDown() override { configure(format::text, level::info); }
};

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST_F(LogTest, TextKeepsPlainValuesBareAndQuotesSpaces) {
  configure(format::text, level::info);
  stderr_capture capture;
  info("started", {{"port", "8080"}, {"name", "two words"}, {"empty", ""}});
  const auto out = capture.text();
  EXPECT_EQ(line_count(out), 1U) << out;
  EXPECT_NE(out.find(" info started port=8080 name=\"two words\" empty=\"\"\n"), std::string::npos)
      << out;
}

TEST_F(LogTest, TextQuotesValuesWithControlCharactersSoAnEventStaysOnOneLine) {
  configure(format::text, level::info);
  stderr_capture capture;
  warn("rejected", {{"nl", "a\nfake=line"},
                    {"tab", "a\tb"},
                    {"cr", "a\rb"},
                    {"bell", "a\007b"},
                    {"nul", std::string{"a\0b", 3}}});
  const auto out = capture.text();
  EXPECT_EQ(line_count(out), 1U) << out;
  EXPECT_EQ(out.find('\r'), std::string::npos) << out;
  EXPECT_EQ(out.find('\t'), std::string::npos) << out;
  EXPECT_NE(out.find(R"( nl="a\nfake=line")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"( tab="a\tb")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"( cr="a\rb")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"( bell="a\u0007b")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"( nul="a\u0000b")"), std::string::npos) << out;
}

TEST_F(LogTest, JsonEscapesControlCharacters) {
  configure(format::json, level::info);
  stderr_capture capture;
  info("rejected", {{"reason", "a\nb\tc"}});
  const auto out = capture.text();
  EXPECT_EQ(line_count(out), 1U) << out;
  EXPECT_NE(out.find(R"("reason":"a\nb\tc")"), std::string::npos) << out;
}

TEST_F(LogTest, BelowTheLevelWritesNothing) {
  configure(format::text, level::warn);
  stderr_capture capture;
  info("quiet", {{"k", "v"}});
  EXPECT_EQ(capture.text(), "");
}

}  // namespace
}  // namespace evs::log
