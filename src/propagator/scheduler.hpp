#pragma once
// The run loop: generate BATCH_SIZE events every INTERVAL_SECONDS into the spool, deliver the
// spool oldest first, back off on failures, report, and drain on stop. Everything it touches
// is passed in, so tests drive it with a scripted sender and a clock that never sleeps.
#include "propagator/backoff.hpp"
#include "propagator/config.hpp"
#include "propagator/event_source.hpp"
#include "propagator/propagator_metrics.hpp"
#include "propagator/sender.hpp"
#include "propagator/spool.hpp"
#include "propagator/stop_signal.hpp"
#include "propagator/waiter.hpp"
#include "runtime/clock.hpp"
#include "runtime/random.hpp"

#include <cstdint>
#include <string>

namespace evs::propagator {

struct run_stats {
  std::uint64_t generated = 0;
  std::uint64_t delivered = 0;
  std::uint64_t duplicates = 0;  // delivered events the endpoint already had (after a retry)
  std::uint64_t dead_lettered = 0;
  std::uint64_t requests = 0;
  std::uint64_t failed_attempts = 0;
  std::size_t pending = 0;  // still in the spool at the end
};

struct scheduler_deps {
  spool& store;
  event_source& source;
  sender& out;
  const runtime::clock& time;  // steady: ticks and deadlines; wall: occurred_at, event ids
  waiter& pause;
  runtime::random_source& random;  // backoff jitter
  stop_signal& stop;
  std::uint64_t id_seed;  // random part of event ids
};

class scheduler {
 public:
  using time_point = runtime::clock::steady_time;
  using duration = std::chrono::steady_clock::duration;

  scheduler(const config& cfg, scheduler_deps deps);
  run_stats run();

  // Counted as run() goes; safe to read from another thread meanwhile.
  const propagator_metrics& metrics() const { return metrics_; }

 private:
  void generate_due(time_point now);
  std::size_t generate(std::size_t wanted);
  void deliver_once(time_point now);
  // Whether events went to the dead letters (else the batch is sent again, smaller).
  bool on_rejected(std::span<const spooled_event> batch, const send_result& result);
  void dead_letter(std::span<const spooled_event> events, const send_result& result,
                   std::string_view reason);
  void note_pending();
  void note_backoff(std::chrono::milliseconds delay);
  void report_status(time_point now);
  void report_summary(time_point now, std::string_view reason);
  bool generation_open() const;

  const config& cfg_;
  scheduler_deps deps_;
  backoff backoff_;
  runtime::seeded_random id_random_;
  run_stats stats_;
  propagator_metrics metrics_;

  duration interval_;
  time_point start_{};
  time_point next_tick_{};
  time_point next_attempt_{};
  time_point next_status_{};
  time_point drain_deadline_{};
  std::uint64_t generation_budget_ = 0;  // with --count: events still to generate
  std::size_t send_limit_ = 0;           // events per request; lowered after a 413
  std::uint64_t delivered_at_last_status_ = 0;
  time_point last_status_{};
  bool draining_ = false;
  bool retrying_ = false;
  bool spool_full_logged_ = false;
  bool ever_delivered_ = false;
};

}  // namespace evs::propagator
