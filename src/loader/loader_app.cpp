#include "loader/loader_app.hpp"

#include "jetstream/nats_connection.hpp"
#include "loader/drain_loop.hpp"
#include "runtime/log.hpp"
#include "storage/store_factory.hpp"

namespace evs::loader {

int run_loader(const loader_config& config, std::stop_token stop) {
  const auto store = storage::open_event_store(config.storage);
  const auto connection = jetstream::connect(config.nats);
  loader_metrics metrics;
  drain_loop loop{*connection, config.nats, config.drain, *store, metrics};
  loop.run(stop);
  log::info("event-loader stopped", {{"loaded", std::to_string(metrics.loaded.value())},
                                     {"duplicates", std::to_string(metrics.duplicates.value())}});
  return 0;
}

}  // namespace evs::loader
