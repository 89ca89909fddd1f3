// event-consumer: the ingest API. Flags > environment > .env; see --help.
#include "consumer/consumer_app.hpp"
#include "runtime/cli_main.hpp"

int main(int argc, char** argv) {
  CLI::App app{"event-consumer: receives JSON events over HTTP, checks JWTs, stores them durably",
               "event-consumer"};
  app.set_version_flag("--version", EVS_VERSION);
  app.add_option("--env-file", "read settings from this file instead of ./.env");
  evs::runtime::settings settings{app};
  evs::consumer::declare_consumer_settings(settings);
  return evs::runtime::cli_main(app, argc, argv, [&] {
    const auto config = evs::consumer::read_consumer_config(settings);
    evs::log::configure(config.log_format, config.log_level);
    return evs::consumer::run_consumer(config);
  });
}
