#pragma once
// What a user checks with `ls -l` after a service ran: nothing it created is open to others.
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace evs::test {

// `root` and everything below it whose mode grants anything to group or others, as
// "path mode" lines (empty when all is owner-only).
inline std::vector<std::string> not_owner_only(const std::filesystem::path& root) {
  std::vector<std::string> problems;
  const auto check = [&](const std::filesystem::path& p) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || S_ISLNK(st.st_mode)) return;
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", st.st_mode & 07777);
      problems.push_back(p.string() + " " + mode);
    }
  };
  check(root);
  for (const auto& entry : std::filesystem::recursive_directory_iterator{root}) check(entry.path());
  return problems;
}

}  // namespace evs::test
