#pragma once
// The command line of event-propagator: every setting as a flag with its environment key
// (runtime::settings), plus the commands. The `.env` file is loaded into the environment before
// parsing (runtime::cli_main).
#include "propagator/config.hpp"
#include "runtime/setting_table.hpp"

#include <CLI/App.hpp>

#include <string>

namespace evs::propagator {

enum class action {
  run,                   // generate and deliver
  list_dead_letters,     // --dead-letters
  requeue_dead_letters,  // --requeue-dead-letters
  print_sample_events,   // --sample-events
};

// Every key of the propagator, one row each: the source of its flags, --help, defaults and its
// part of .env.example.
const runtime::setting_table<config>& propagator_settings();

class propagator_cli {
 public:
  // Declares the settings and commands on `app`; parse `app`, then call read().
  explicit propagator_cli(CLI::App& app);

  // The validated configuration; throws runtime::config_error naming the setting.
  config read() const;
  action what() const;

 private:
  runtime::settings settings_;
  std::string count_ = "0";
  bool dead_letters_ = false;
  bool requeue_ = false;
  bool samples_ = false;
};

}  // namespace evs::propagator
