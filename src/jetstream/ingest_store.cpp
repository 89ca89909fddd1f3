#include "jetstream/ingest_store.hpp"

#include "jetstream/nats_connection.hpp"
#include "jetstream/stream_setup.hpp"

namespace evs::jetstream {

ingest_store::ingest_store(std::unique_ptr<storage::event_store> reads,
                           const jetstream_config& config, std::size_t lanes)
    : reads_{std::move(reads)}, connection_{connect(config)} {
  {
    const auto js = open_context(*connection_, config);
    ensure_stream(*js, config);
  }
  publisher_ = std::make_unique<publisher>(*connection_, config, lanes);
}

result<storage::insert_outcome> ingest_store::insert(std::span<const core::new_event> events) {
  return publisher_->publish(events);
}

}  // namespace evs::jetstream
