#include "loader/loader_app.hpp"

#include "jetstream/nats_connection.hpp"
#include "loader/drain_loop.hpp"
#include "metrics/process_stats.hpp"
#include "propagator/metrics_endpoint.hpp"
#include "runtime/log.hpp"
#include "storage/store_factory.hpp"

#include <memory>

namespace evs::loader {

namespace {

// METRICS_PORT: the propagator's /metrics listener, rendering the loader's metrics. A port that
// cannot be bound is a configuration problem.
std::unique_ptr<propagator::metrics_listener> open_metrics(const loader_config& config,
                                                           const loader_metrics& metrics) {
  if (config.metrics_port == 0) return nullptr;
  try {
    auto listener = std::make_unique<propagator::metrics_listener>(
        config.metrics_host, config.metrics_port,
        [&metrics] { return render_metrics(metrics, metrics::read_process_stats(), EVS_VERSION); });
    log::info("serving GET /metrics",
              {{"metrics_address", "http://" + config.metrics_host + ":" +
                                       std::to_string(listener->port()) + "/metrics"}});
    return listener;
  } catch (const std::exception& e) {
    throw runtime::config_error(std::string{"METRICS_PORT: "} + e.what());
  }
}

}  // namespace

int run_loader(const loader_config& config, std::stop_token stop) {
  loader_metrics metrics;
  const auto listener = open_metrics(config, metrics);
  const auto store = storage::open_event_store(config.storage);
  const auto connection = jetstream::connect(config.nats);
  drain_loop loop{*connection, config.nats, config.drain, *store, metrics};
  loop.run(stop);
  log::info("event-loader stopped", {{"loaded", std::to_string(metrics.loaded.value())},
                                     {"duplicates", std::to_string(metrics.duplicates.value())}});
  return 0;
}

}  // namespace evs::loader
