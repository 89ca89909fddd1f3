#pragma once
// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
#include <filesystem>
#include <string_view>

namespace evs::test {

class temp_dir {
 public:
  explicit temp_dir(std::string_view prefix = "evs-test");
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace evs::test
