#pragma once
// The stream the consumer publishes to and the loader drains.
#include "jetstream/jetstream_config.hpp"
#include "jetstream/nats_handles.hpp"

namespace evs::jetstream {

// Creates config.stream when it is missing: file storage, config.replicas servers, the
// config.duplicate_window, capturing config.subject. A stream that exists is used as it is
// (its settings are the operator's). Throws std::runtime_error naming NATS_STREAM when the
// cluster does not answer within config.timeout.
void ensure_stream(jsCtx& js, const jetstream_config& config);

}  // namespace evs::jetstream
