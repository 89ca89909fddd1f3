#include "runtime/dotenv.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string_view>

namespace evs::runtime {
namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

std::string unquote(std::string_view value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    const char quote = value.front();
    value = value.substr(1, value.size() - 2);
    if (quote == '\'') return std::string{value};
    std::string out;
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '\\' && i + 1 < value.size()) {
        const char next = value[++i];
        out.push_back(next == 'n' ? '\n' : next);
      } else {
        out.push_back(value[i]);
      }
    }
    return out;
  }
  // An unquoted value ends at an inline comment.
  const auto hash = value.find(" #");
  return std::string{trim(value.substr(0, hash))};
}

}  // namespace

std::optional<std::string> find_env_file_flag(int argc, const char* const* argv) {
  constexpr std::string_view flag = "--env-file";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == flag && i + 1 < argc) return std::string{argv[i + 1]};
    if (arg.starts_with(flag) && arg.size() > flag.size() && arg[flag.size()] == '=')
      return std::string{arg.substr(flag.size() + 1)};
  }
  return std::nullopt;
}

void load_env_file(const std::filesystem::path& path, bool required) {
  std::ifstream in{path};
  if (!in) {
    if (required) throw std::runtime_error("--env-file: cannot read " + path.string());
    return;
  }
  std::string line;
  while (std::getline(in, line)) {
    std::string_view view = trim(line);
    if (view.empty() || view.front() == '#') continue;
    if (view.starts_with("export ")) view = trim(view.substr(7));
    const auto eq = view.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string key{trim(view.substr(0, eq))};
    if (key.empty()) continue;
    const std::string value = unquote(trim(view.substr(eq + 1)));
    ::setenv(key.c_str(), value.c_str(), /*overwrite=*/0);
  }
}

void load_env_file_from_args(int argc, const char* const* argv) {
  if (auto explicit_path = find_env_file_flag(argc, argv)) {
    load_env_file(*explicit_path, true);
  } else {
    load_env_file(".env", false);
  }
}

}  // namespace evs::runtime
