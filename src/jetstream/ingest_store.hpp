#pragma once
// The consumer's store in JetStream mode: writes go to the stream (insert publishes and waits
// for a quorum's acks), reads go to the database the loader fills. Behind the event_store
// interface, so the batch writer and the HTTP layer are the same in both modes.
#include "jetstream/jetstream_config.hpp"
#include "jetstream/nats_handles.hpp"
#include "jetstream/publisher.hpp"
#include "storage/event_store.hpp"

#include <memory>

namespace evs::jetstream {

class ingest_store final : public storage::event_store {
 public:
  // Connects to the cluster and creates the stream when it is missing; throws
  // std::runtime_error naming the NATS_* setting at fault. `lanes`: publishes at once.
  ingest_store(std::unique_ptr<storage::event_store> reads, const jetstream_config& config,
               std::size_t lanes);

  result<storage::insert_outcome> insert(std::span<const core::new_event> events) override;
  result<core::stored_event> get(std::int64_t id) override { return reads_->get(id); }
  result<core::stored_event> get_by_event_id(std::string_view event_id) override {
    return reads_->get_by_event_id(event_id);
  }
  result<core::event_page> list(const core::list_query& query) override {
    return reads_->list(query);
  }
  result<core::stored_event> update(std::int64_t id, const core::event_update& update) override {
    return reads_->update(id, update);
  }
  result<void> remove(std::int64_t id) override { return reads_->remove(id); }
  // Ingest is what readiness is about: the stream answers and has a leader. The database
  // may be down meanwhile; the stream holds the events until the loader catches up.
  result<void> ping() override { return publisher_->ping(); }
  std::size_t max_concurrent_writers() const override { return publisher_->lanes(); }

 private:
  std::unique_ptr<storage::event_store> reads_;
  connection_ptr connection_;
  std::unique_ptr<publisher> publisher_;
};

}  // namespace evs::jetstream
