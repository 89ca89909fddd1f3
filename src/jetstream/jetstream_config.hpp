#pragma once
// Where the JetStream stream lives and how it is made, shared by the consumer (publishing)
// and the loader (draining).
#include <chrono>
#include <string>
#include <vector>

namespace evs::jetstream {

struct jetstream_config {
  // Every server of the cluster, so that a client reconnects to another when one goes.
  std::vector<std::string> servers{"nats://127.0.0.1:4222"};
  std::string stream = "EVENTS";
  std::string subject = "events.ingest";
  int replicas = 3;
  // Nats-Msg-Id duplicates are dropped by the stream within this window; the store's unique
  // event_id catches the rest.
  std::chrono::seconds duplicate_window{120};
  // The longest a publish (all resends included) or a JetStream API call waits; then 503.
  std::chrono::milliseconds timeout{10'000};
};

// "nats://h1:4222,nats://h2:4223" -> its servers; throws runtime::config_error naming NATS_URL
// when it holds none or one without the nats:// scheme.
std::vector<std::string> split_nats_url(const std::string& url);

}  // namespace evs::jetstream
