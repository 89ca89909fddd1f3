// event-loader: drains the JetStream stream into the store. Flags > environment > .env.
#include "loader/loader_app.hpp"
#include "loader/stop_on_signal.hpp"
#include "runtime/cli_main.hpp"

int main(int argc, char** argv) {
  CLI::App app{"event-loader: moves events from a NATS JetStream stream into the store, each once",
               "event-loader"};
  app.set_version_flag("--version", EVS_VERSION);
  app.add_option("--env-file", "read settings from this file instead of ./.env");
  evs::runtime::settings settings{app};
  evs::loader::declare_loader_settings(settings);
  return evs::runtime::cli_main(app, argc, argv, [&] {
    const auto config = evs::loader::read_loader_config(settings);
    evs::log::configure(config.log_format, config.log_level);
    std::stop_source stop;
    const evs::loader::stop_on_signal signals{stop};
    return evs::loader::run_loader(config, stop.get_token());
  });
}
