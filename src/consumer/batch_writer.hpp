#pragma once
// Group commit: requests put their validated events on a bounded queue; each writer thread
// takes everything queued (up to a batch limit), commits it in one transaction, and only
// then completes every request in it. A full queue is refused at once (503 + Retry-After).
#include "consumer/metrics.hpp"
#include "core/errc.hpp"
#include "core/event.hpp"
#include "storage/event_store.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

namespace evs::consumer {

struct batch_writer_config {
  std::size_t queue_capacity = 100'000;  // events waiting for a commit
  std::size_t max_batch = 20'000;        // events per transaction
  std::size_t writers = 1;               // threads committing in parallel
  // A commit starts while another is under way only once this many events are queued (0:
  // always). Small groups committed side by side each pay a commit's fixed cost (a round trip
  // and a WAL flush on a database server), so light load is committed one group at a time,
  // in larger groups, and the writers work in parallel when the queue holds enough for them.
  std::size_t parallel_from_events = 0;
};

class batch_writer {
 public:
  // Gets the commit's outcome and the request's events back: the submitter frees them on its
  // own thread, which keeps the allocator from passing memory between threads.
  using completion =
      std::function<void(result<storage::insert_outcome>, std::vector<core::new_event>)>;

  batch_writer(storage::event_store& store, const batch_writer_config& config);
  ~batch_writer();
  batch_writer(const batch_writer&) = delete;
  batch_writer& operator=(const batch_writer&) = delete;

  // Queues one request's events. On success `done` runs later on a writer thread with the
  // outcome of the commit; on errc::queue_full or errc::shutting_down it is never called.
  result<void> submit(std::vector<core::new_event> events, completion done);

  // Refuses new work, commits what is queued, joins the writers. Idempotent.
  void stop();

  std::size_t queued_events() const;
  std::size_t queue_capacity() const { return config_.queue_capacity; }
  bool running() const;
  // Every commit's duration, group sizes and failures.
  const commit_counters& commits() const { return commits_; }

 private:
  struct pending {
    std::vector<core::new_event> events;
    completion done;
  };

  void writer_loop();
  // With the mutex held: whether a writer should take a group now.
  bool group_ready() const;
  // `scratch` is reused from commit to commit: allocating a large buffer per commit makes
  // malloc map and unmap memory each time, and the TLB shootdowns that follow cost more
  // than the commit's own work.
  void commit(std::vector<pending>& group, std::vector<core::new_event>& scratch);
  // One transaction, counted in commits_.
  result<storage::insert_outcome> insert(std::span<const core::new_event> events,
                                         std::size_t requests);

  storage::event_store& store_;
  batch_writer_config config_;
  mutable std::mutex mutex_;
  std::condition_variable work_available_;
  std::deque<pending> queue_;
  std::size_t queued_events_ = 0;
  std::size_t commits_under_way_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
  commit_counters commits_;
};

}  // namespace evs::consumer
