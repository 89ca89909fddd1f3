// event-propagator: sends events to an event-consumer every INTERVAL_SECONDS, through a
// durable spool. Flags > environment > .env; see --help.
#include "propagator/cli.hpp"
#include "propagator/commands.hpp"
#include "runtime/cli_main.hpp"
#include "runtime/log.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "event-propagator: sends events to an event-consumer every INTERVAL_SECONDS.\n"
      "Each event is kept in a durable spool until the endpoint has committed it, and\n"
      "retries reuse its event_id, so nothing is lost and nothing is stored twice.",
      "event-propagator"};
  app.set_version_flag("--version", EVS_VERSION);
  app.add_option("--env-file", "read settings from this file instead of ./.env");
  evs::propagator::propagator_cli cli{app};
  return evs::runtime::cli_main(app, argc, argv, [&] {
    const auto config = cli.read();
    evs::log::configure(config.log_format, config.log_level);
    return evs::propagator::run_command(config, cli.what());
  });
}
