#pragma once
// The METRICS_PORT and METRICS_HOST rows of the settings table, shared by every program that
// serves its metrics through metrics_endpoint (the propagator and the loader), so each key means
// the same in both. Config needs `std::uint16_t metrics_port` and `std::string metrics_host`.
#include "runtime/setting_table.hpp"

#include <cstdint>

namespace evs::propagator {

template <class Config>
runtime::setting_table<Config> metrics_listener_settings() {
  using runtime::setting_value;
  return {
      runtime::integer_setting<Config>(
          "METRICS_PORT", "0", 0, 65535,
          "serve GET /metrics (Prometheus text format) on this port of METRICS_HOST (0: off)",
          [](Config& c, const setting_value& v) { c.metrics_port = v.as<std::uint16_t>(); }),
      runtime::text_setting<Config>(
          "METRICS_HOST", "127.0.0.1", "address of the METRICS_PORT listener",
          [](Config& c, const setting_value& v) { c.metrics_host = v.text; }),
  };
}

}  // namespace evs::propagator
