#pragma once
// The NATS_* rows of the settings table, shared by every program with a `nats` member of type
// jetstream_config (the consumer and the loader), so each key means the same in both.
#include "jetstream/jetstream_config.hpp"
#include "runtime/setting_table.hpp"
#include "runtime/settings.hpp"

#include <string>

namespace evs::jetstream {

// A stream name may not hold what NATS reads as subject syntax.
inline void check_stream_name(const std::string& name) {
  if (name.empty() || name.find_first_of(".*> \t") != std::string::npos)
    throw runtime::config_error("NATS_STREAM: \"" + name +
                                "\" must be non-empty, without '.', '*', '>' or spaces");
}

template <class Config>
runtime::setting_table<Config> nats_settings() {
  using runtime::integer_setting;
  using runtime::setting_value;
  using runtime::text_setting;
  return {
      text_setting<Config>(
          "NATS_URL", "nats://127.0.0.1:4222",
          "JetStream servers, comma-separated: nats://h1:4222,nats://h2:4223,nats://h3:4224",
          [](Config& c, const setting_value& v) { c.nats.servers = split_nats_url(v.text); }),
      text_setting<Config>("NATS_STREAM", "EVENTS",
                           "JetStream stream of the events (created when missing)",
                           [](Config& c, const setting_value& v) {
                             check_stream_name(v.text);
                             c.nats.stream = v.text;
                           }),
      text_setting<Config>("NATS_SUBJECT", "events.ingest", "subject the events are published on",
                           [](Config& c, const setting_value& v) { c.nats.subject = v.text; }),
      integer_setting<Config>(
          "NATS_REPLICAS", "3", 1, 5, "servers holding each event of a stream it creates",
          [](Config& c, const setting_value& v) { c.nats.replicas = v.as<int>(); }),
      integer_setting<Config>("NATS_DUPLICATE_WINDOW", "120", 1, 86'400,
                              "seconds in which a stream it creates drops a repeated event_id",
                              [](Config& c, const setting_value& v) {
                                c.nats.duplicate_window = std::chrono::seconds{v.integer};
                              }),
      integer_setting<Config>(
          "NATS_TIMEOUT_SECONDS", "10", 1, 3600,
          "longest wait for JetStream in one call (a publish with its resends); then 503",
          [](Config& c, const setting_value& v) {
            c.nats.timeout = std::chrono::seconds{v.integer};
          }),
  };
}

}  // namespace evs::jetstream
