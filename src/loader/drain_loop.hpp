#pragma once
// event-loader's work: a durable pull consumer on the stream; fetch a batch, insert it in one
// transaction, and only once it is committed acknowledge it. A crash between the commit and
// the acks makes JetStream deliver the batch again, and the store's unique event_id turns the
// second insert into duplicates: each event is stored once.
#include "jetstream/jetstream_config.hpp"
#include "jetstream/nats_handles.hpp"
#include "loader/loader_metrics.hpp"
#include "storage/event_store.hpp"

#include <chrono>
#include <cstddef>
#include <stop_token>
#include <string>
#include <vector>

namespace evs::loader {

struct drain_settings {
  std::string durable = "event-loader";  // the consumer's name: its position survives restarts
  std::size_t batch = 1000;              // messages per fetch, events per transaction
  std::chrono::milliseconds fetch_wait{1000};
  std::chrono::seconds ack_wait{30};  // unacknowledged this long: JetStream delivers again
  std::chrono::milliseconds status_interval{5000};
};

class drain_loop {
 public:
  // Makes sure the stream exists and binds the durable consumer (created when missing);
  // throws std::runtime_error naming the NATS_* setting when the cluster does not answer.
  drain_loop(natsConnection& connection, const jetstream::jetstream_config& nats,
             const drain_settings& settings, storage::event_store& store, loader_metrics& metrics);

  // Until `stop`: a batch in hand is committed and acknowledged, or left unacknowledged
  // (delivered again on the next start) when the store is down at the stop.
  void run(std::stop_token stop);

 private:
  // Inserts until it succeeds or `stop`; true when committed.
  bool commit(const std::vector<core::new_event>& events, std::stop_token stop);
  void report_status(std::chrono::steady_clock::time_point now);

  jetstream::jetstream_config nats_;
  drain_settings settings_;
  storage::event_store& store_;
  loader_metrics& metrics_;
  jetstream::context_ptr js_;
  jetstream::subscription_ptr subscription_;
  std::chrono::steady_clock::time_point last_status_;
  std::uint64_t loaded_at_last_status_ = 0;
};

}  // namespace evs::loader
