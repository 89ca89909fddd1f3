#pragma once
// The shared shape of every program's main: parse, run, and turn configuration errors into
// exit code 2 with one line on stderr.
#include "runtime/dotenv.hpp"
#include "runtime/settings.hpp"

#include <CLI/CLI.hpp>

#include <sys/stat.h>

#include <cstdio>
#include <exception>
#include <functional>

namespace evs::runtime {

// `parse_and_run` parses `app` (already declared) and runs the program, returning its exit code.
inline int cli_main(CLI::App& app, int argc, char** argv, const std::function<int()>& run) {
  // Events, spools and their folders are the owner's alone (files 0600, folders 0700), however
  // permissive the umask the program was started with.
  ::umask(S_IRWXG | S_IRWXO);
  try {
    load_env_file_from_args(argc, argv);
    app.parse(argc, argv);
    return run();
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::CallForVersion&) {
    std::printf("%s %s\n", app.get_name().c_str(), EVS_VERSION);
    return 0;
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "%s: %s\n", app.get_name().c_str(), e.what());
    return 2;
  } catch (const config_error& e) {
    std::fprintf(stderr, "%s: %s\n", app.get_name().c_str(), e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", app.get_name().c_str(), e.what());
    return 2;
  }
}

}  // namespace evs::runtime
