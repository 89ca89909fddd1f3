#include "consumer/batch_writer.hpp"

#include "runtime/thread_name.hpp"

#include <algorithm>
#include <chrono>
#include <string>

namespace evs::consumer {

batch_writer::batch_writer(storage::event_store& store, const batch_writer_config& config)
    : store_{store}, config_{config} {
  const std::size_t writers = std::max<std::size_t>(1, config.writers);
  for (std::size_t i = 0; i < writers; ++i)
    threads_.emplace_back([this, i] {
      runtime::name_this_thread("evs-writer-" + std::to_string(i));
      writer_loop();
    });
}

batch_writer::~batch_writer() { stop(); }

result<void> batch_writer::submit(std::vector<core::new_event> events, completion done) {
  bool ready = false;
  {
    const std::lock_guard lock{mutex_};
    if (stopping_) return errc::shutting_down;
    // A request larger than the whole queue still goes through when the queue is empty.
    if (queued_events_ != 0 && queued_events_ + events.size() > config_.queue_capacity)
      return errc::queue_full;
    queued_events_ += events.size();
    queue_.push_back({std::move(events), std::move(done)});
    ready = group_ready();
  }
  // A writer woken for a group it may not take yet would only sleep again: the writer under
  // way takes this request when its commit ends.
  if (ready) work_available_.notify_one();
  return {};
}

void batch_writer::stop() {
  {
    const std::lock_guard lock{mutex_};
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  work_available_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

std::size_t batch_writer::queued_events() const {
  const std::lock_guard lock{mutex_};
  return queued_events_;
}

bool batch_writer::running() const {
  const std::lock_guard lock{mutex_};
  return !stopping_;
}

void batch_writer::writer_loop() {
  std::vector<pending> group;
  std::vector<core::new_event> scratch;
  bool committed = false;  // this writer's last commit has ended but still counts as under way
  for (;;) {
    bool more = false;
    {
      std::unique_lock lock{mutex_};
      // What queued up during the last commit is this writer's next group (its connection and
      // caches are warm): no other writer was woken for it.
      if (committed) --commits_under_way_;
      committed = false;
      work_available_.wait(lock, [this] { return (stopping_ && queue_.empty()) || group_ready(); });
      if (queue_.empty()) return;  // stopping, and everything queued is committed
      // Take whole requests: a request is never split across transactions.
      std::size_t taken = 0;
      while (!queue_.empty() &&
             (group.empty() || taken + queue_.front().events.size() <= config_.max_batch)) {
        taken += queue_.front().events.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      queued_events_ -= taken;
      ++commits_under_way_;
      more = group_ready();
    }
    // Another writer may commit the rest while this one is busy.
    if (more) work_available_.notify_one();
    commit(group, scratch);
    group.clear();
    committed = true;
  }
}

bool batch_writer::group_ready() const {
  if (queue_.empty()) return false;
  return commits_under_way_ == 0 || config_.parallel_from_events == 0 ||
         queued_events_ >= config_.parallel_from_events || stopping_;
}

void batch_writer::commit(std::vector<pending>& group, std::vector<core::new_event>& all) {
  if (group.size() == 1) {
    auto& p = group.front();
    auto outcome = insert(p.events, 1);
    p.done(std::move(outcome), std::move(p.events));
    return;
  }
  std::size_t total = 0;
  for (const auto& p : group) total += p.events.size();
  all.clear();
  all.reserve(total);
  for (auto& p : group) std::move(p.events.begin(), p.events.end(), std::back_inserter(all));

  auto outcome = insert(all, group.size());
  if (!outcome && outcome.error() == make_error_code(errc::storage_failure)) {
    // Something in the group cannot be stored, and a retry will not change that. Commit the
    // requests one by one so that only the one at fault fails, not its neighbours.
    std::size_t offset = 0;
    for (auto& p : group) {
      const std::size_t count = p.events.size();
      std::move(all.begin() + static_cast<std::ptrdiff_t>(offset),
                all.begin() + static_cast<std::ptrdiff_t>(offset + count), p.events.begin());
      offset += count;
      auto own = insert(p.events, 1);
      p.done(std::move(own), std::move(p.events));
    }
    all.clear();
    return;
  }
  std::size_t offset = 0;
  for (auto& p : group) {
    const std::size_t count = p.events.size();
    // Hand each request its own events back (moves, no copies).
    std::move(all.begin() + static_cast<std::ptrdiff_t>(offset),
              all.begin() + static_cast<std::ptrdiff_t>(offset + count), p.events.begin());
    if (outcome) {
      const auto first = outcome->begin() + static_cast<std::ptrdiff_t>(offset);
      p.done(storage::insert_outcome(first, first + static_cast<std::ptrdiff_t>(count)),
             std::move(p.events));
    } else {
      p.done(outcome.error(), std::move(p.events));
    }
    offset += count;
  }
  all.clear();  // moved-from strings hold no memory; the capacity stays for the next commit
}

result<storage::insert_outcome> batch_writer::insert(std::span<const core::new_event> events,
                                                     std::size_t requests) {
  const auto start = std::chrono::steady_clock::now();
  auto outcome = store_.insert(events);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  commits_.duration.observe(static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()));
  commits_.events.observe(events.size());
  commits_.requests.observe(requests);
  if (!outcome) commits_.failed.add();
  return outcome;
}

}  // namespace evs::consumer
