#pragma once
// Configuration precedence: flags > environment > `.env` file. The `.env` file is read into the
// environment without overwriting what is already set, then the flag parser reads both.
#include <filesystem>
#include <optional>
#include <string>

namespace evs::runtime {

// Value of `--env-file PATH` / `--env-file=PATH` in argv, if given.
std::optional<std::string> find_env_file_flag(int argc, const char* const* argv);

// Loads KEY=VALUE lines (comments, `export`, single and double quotes) into the environment,
// keeping variables that are already set. A missing default file is fine; a missing
// explicit file throws std::runtime_error.
void load_env_file(const std::filesystem::path& path, bool required);

// find_env_file_flag + load_env_file with the default `./.env`.
void load_env_file_from_args(int argc, const char* const* argv);

}  // namespace evs::runtime
