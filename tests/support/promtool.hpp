#pragma once
// Prometheus's own check of a scrape: `promtool check metrics` (Debian's prometheus package),
// found when the build is configured (tests/CMakeLists.txt). Without it a test fails, never
// skips.
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace evs::test {

// Fails the test unless promtool finds `scrape` valid and has nothing to say about it.
inline void expect_promtool_accepts(const std::string& promtool, const std::string& scrape) {
  ASSERT_FALSE(promtool.empty())
      << "promtool not found when the build was configured: install Debian's prometheus "
         "package (make install), then configure again";
  temp_dir dir{"evs-promtool"};
  const auto scrape_file = dir / "scrape.txt";
  std::ofstream{scrape_file} << scrape;
  // promtool reads the exposition from its standard input.
  process_options check;
  check.program = "/bin/sh";
  check.args = {"-c", R"("$0" check metrics < "$1")", promtool, scrape_file.string()};
  const auto r = run_program(check, dir.path());
  EXPECT_TRUE(r.status.exited && r.status.code == 0) << "promtool exit " << r.status.code << "\n"
                                                     << r.out << r.err;
  EXPECT_EQ(r.out + r.err, "");
}

}  // namespace evs::test
