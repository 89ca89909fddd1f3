#include "propagator/commands.hpp"

#include "core/event_json.hpp"
#include "core/json_text.hpp"
#include "core/rfc3339.hpp"
#include "propagator/curl_sender.hpp"
#include "propagator/event_source.hpp"
#include "propagator/metrics_endpoint.hpp"
#include "propagator/scheduler.hpp"
#include "propagator/signal_watcher.hpp"
#include "propagator/spool.hpp"
#include "runtime/log.hpp"
#include "runtime/random.hpp"
#include "runtime/settings.hpp"

#include <filesystem>
#include <iostream>
#include <memory>

namespace evs::propagator {
namespace {

// Opening the spool is part of start-up: a failure is a configuration problem (exit 2).
std::unique_ptr<spool> open_spool(const config& cfg, spool::mode mode) {
  try {
    return std::make_unique<spool>(cfg.spool_path, cfg.spool_max_events, mode);
  } catch (const std::exception& e) {
    throw runtime::config_error(std::string{"SPOOL_PATH: "} + e.what());
  }
}

// METRICS_PORT: a port that cannot be bound is a configuration problem too.
std::unique_ptr<metrics_listener> open_metrics(const config& cfg,
                                               const propagator_metrics& metrics) {
  if (cfg.metrics_port == 0) return nullptr;
  try {
    auto listener = std::make_unique<metrics_listener>(cfg.metrics_host, cfg.metrics_port, metrics);
    log::info("serving GET /metrics",
              {{"metrics_address", "http://" + cfg.metrics_host + ":" +
                                       std::to_string(listener->port()) + "/metrics"}});
    return listener;
  } catch (const std::exception& e) {
    throw runtime::config_error(std::string{"METRICS_PORT: "} + e.what());
  }
}

}  // namespace

int run_command(const config& cfg, action what) {
  switch (what) {
    case action::run: return run_propagator(cfg);
    case action::list_dead_letters: return list_dead_letters(cfg, std::cout);
    case action::requeue_dead_letters: return requeue_dead_letters(cfg);
    case action::print_sample_events: return print_sample_events(std::cout);
  }
  return 2;
}

int run_propagator(const config& cfg) {
  // Before any other thread exists, so that every thread inherits the blocked signals.
  stop_signal stop;
  signal_watcher watcher{stop};

  event_source source{load_templates(cfg.events_file), cfg.order, runtime::random_seed()};
  const auto store = open_spool(cfg, spool::mode::owner);
  try {
    curl_sender out{cfg.api_url, cfg.api_token, [&stop] { return stop.aborted(); }, cfg.api_ca_file,
                    cfg.compress};
    const runtime::system_clock time;
    stop_signal_waiter pause;
    runtime::seeded_random random{runtime::random_seed()};
    scheduler loop{cfg, {*store, source, out, time, pause, random, stop, runtime::random_seed()}};
    const auto listener = open_metrics(cfg, loop.metrics());
    loop.run();
    return 0;
  } catch (const runtime::config_error&) {
    throw;
  } catch (const std::exception& e) {
    // The spool's disk failed under us: everything it committed is still there.
    log::error("stopping on an error", {{"error", e.what()}});
    return 1;
  }
}

int list_dead_letters(const config& cfg, std::ostream& out) {
  if (!std::filesystem::exists(cfg.spool_path)) {
    log::info("no spool yet, so no dead letters", {{"spool", cfg.spool_path}});
    return 0;
  }
  const auto store = open_spool(cfg, spool::mode::reader);
  const auto letters = store->dead_letters();
  std::string line;
  for (const auto& d : letters) {
    // The event as it was sent, then why it was refused.
    line = "{";
    core::append_event_members(
        line, {d.event.event_id, d.event.event_type, d.event.payload_json, d.event.occurred_at});
    line += ",\"failed_at\":";
    core::append_json_string(line, core::format_rfc3339(d.failed_at_us));
    line += ",\"status\":" + std::to_string(d.http_status) + ",\"reason\":";
    core::append_json_string(line, d.reason);
    line += ",\"response\":";
    core::append_json_string(line, d.response_body);
    line += "}\n";
    out << line;
  }
  out.flush();
  log::info("dead letters listed",
            {{"count", std::to_string(letters.size())}, {"spool", cfg.spool_path}});
  return 0;
}

int requeue_dead_letters(const config& cfg) {
  const auto store = open_spool(cfg, spool::mode::owner);
  const auto moved = store->requeue_dead_letters();
  log::info("dead letters moved back into the spool; the next run sends them",
            {{"count", std::to_string(moved)}, {"pending", std::to_string(store->pending())}});
  return 0;
}

int print_sample_events(std::ostream& out) {
  out << bundled_events_json() << "\n";
  return 0;
}

}  // namespace evs::propagator
