#pragma once
// The consumer's side of the stream: publishes a group of events asynchronously, each with
// Nats-Msg-Id = its event_id, and returns only once every one has a PubAck (the stream stored
// it on a quorum of its servers) or the time is up. Unanswered messages are resent with the
// same ids, so that the stream's duplicate check keeps a resend from being stored twice.
#include "core/errc.hpp"
#include "core/event.hpp"
#include "jetstream/jetstream_config.hpp"
#include "jetstream/nats_handles.hpp"
#include "storage/event_store.hpp"

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

namespace evs::jetstream {

class publisher {
 public:
  // `lanes` publishes may run at once, each on a JetStream context of its own (so that one
  // group's acks and resends never mix with another's).
  publisher(natsConnection& connection, const jetstream_config& config, std::size_t lanes);
  ~publisher();
  publisher(const publisher&) = delete;
  publisher& operator=(const publisher&) = delete;

  // For each event in order: the stream sequence it was stored at, or nullopt when the stream
  // already had its event_id (a Duplicate ack) or it appeared earlier in `events`.
  // errc::storage_unavailable when some event has no ack within config.timeout (no quorum,
  // no leader): then some events may have been stored, and a retry with the same event_ids
  // stores none of them twice. Blocks; call it off the I/O threads.
  result<storage::insert_outcome> publish(std::span<const core::new_event> events);

  // The stream answers and has a leader: what /api/ready reports in JetStream mode.
  result<void> ping();

  std::size_t lanes() const { return lanes_.size(); }

  struct lane;  // public for the C callback, opaque to users

 private:
  lane& take_lane();
  void give_back(lane& l);

  natsConnection& connection_;
  jetstream_config config_;
  context_ptr admin_;  // ping's own, so that it never waits behind a publish
  std::vector<std::unique_ptr<lane>> lanes_;
  std::mutex free_mutex_;
  std::condition_variable lane_free_;
  std::vector<lane*> free_;
};

}  // namespace evs::jetstream
