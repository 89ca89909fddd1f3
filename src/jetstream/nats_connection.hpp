#pragma once
// One connection to the cluster, reconnecting by itself to whichever server is up.
#include "jetstream/jetstream_config.hpp"
#include "jetstream/nats_handles.hpp"

namespace evs::jetstream {

// Connects to one of config.servers; throws std::runtime_error naming NATS_URL when none
// answers. Once connected, the connection tries the servers again forever when it loses one.
connection_ptr connect(const jetstream_config& config);

// A JetStream context whose API calls wait at most config.timeout. `ack_handler` (may be null)
// gets every asynchronous publish's answer, with `closure`.
context_ptr open_context(natsConnection& connection, const jetstream_config& config,
                         jsPubAckHandler ack_handler = nullptr, void* closure = nullptr);

}  // namespace evs::jetstream
