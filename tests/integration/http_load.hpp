#pragma once
// HTTP load for the outage and crash tests of the database stores: writer threads posting
// batches with fresh event_ids to a real consumer, a ledger of what was sent and acknowledged,
// and the check of what got stored against it.
#include "support/http_client.hpp"
#include "support/tokens.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace evs::test {

using load_clock = std::chrono::steady_clock;

// A request that takes longer than this counts as a hang.
inline constexpr auto load_request_timeout = std::chrono::seconds{5};

std::string batch_body(const std::vector<std::string>& ids, const std::string& event_type);

// A Retry-After header of whole seconds.
bool has_retry_after(const http_reply& reply);

// What the writers sent and what they were told.
struct ledger {
  struct batch {
    std::vector<std::string> ids;
    bool acknowledged = false;
  };

  std::mutex mutex;
  std::vector<batch> batches;
  std::vector<std::string> unexpected;  // statuses other than 200, 429 and 503, and lies

  std::atomic<std::size_t> acknowledged_batches{0};
  std::atomic<std::size_t> unavailable{0};  // 503s
  std::atomic<std::size_t> busy{0};         // 429s
  std::atomic<std::size_t> without_retry_after{0};
  std::atomic<std::size_t> transport_errors{0};  // timeouts, refused or cut connections
  std::atomic<std::int64_t> slowest_ms{0};

  std::size_t add(std::vector<std::string> ids) {
    const std::lock_guard lock{mutex};
    batches.push_back({std::move(ids), false});
    return batches.size() - 1;
  }
  void acknowledge(std::size_t index) {
    {
      const std::lock_guard lock{mutex};
      batches[index].acknowledged = true;
    }
    ++acknowledged_batches;
  }
  void note(std::string what) {
    const std::lock_guard lock{mutex};
    unexpected.push_back(std::move(what));
  }
  void timed(load_clock::duration d);
};

// Writer threads posting batches of 1 to 5 events with fresh event_ids. A batch answered
// with anything but 200 is sent again with the same event_ids, as a client does after a 503.
// With `give_up_when_gone`, a writer stops at the first transport error (the server was
// killed) and leaves its batch unacknowledged; otherwise it reconnects and retries. After
// finish(), a writer retries its current batch for up to `finish_grace` before leaving it.
class http_writers {
 public:
  http_writers(std::uint16_t port, int threads, std::string prefix, std::string event_type,
               bool give_up_when_gone)
      : port_{port},
        token_{make_token("events:write")},
        prefix_{std::move(prefix)},
        event_type_{std::move(event_type)},
        give_up_when_gone_{give_up_when_gone} {
    for (int t = 0; t < threads; ++t) workers_.emplace_back([this, t] { run(t); });
  }
  ~http_writers() { finish(load_clock::duration::zero()); }
  http_writers(const http_writers&) = delete;
  http_writers& operator=(const http_writers&) = delete;

  // The outage window, as steady-clock times: set when the server has stopped and just
  // before it is started again. A 200 to a request sent after the first and received
  // before the second cannot be a committed write.
  void server_down() { down_since_ = load_clock::now().time_since_epoch().count(); }
  void server_starting() { up_since_ = load_clock::now().time_since_epoch().count(); }

  void finish(load_clock::duration finish_grace) {
    if (!stop_.exchange(true))
      give_up_at_ = (load_clock::now() + finish_grace).time_since_epoch().count();
    for (auto& w : workers_)
      if (w.joinable()) w.join();
  }

  ledger& log() { return log_; }

 private:
  bool giving_up() const {
    return stop_ && load_clock::now().time_since_epoch().count() >= give_up_at_.load();
  }

  void run(int t);

  std::uint16_t port_;
  std::string token_;
  std::string prefix_;
  std::string event_type_;
  bool give_up_when_gone_;
  ledger log_;
  std::atomic<bool> stop_{false};
  std::atomic<load_clock::rep> give_up_at_{0};
  std::atomic<load_clock::rep> down_since_{0};
  std::atomic<load_clock::rep> up_since_{0};
  std::vector<std::thread> workers_;
};

struct store_check {
  std::size_t sent_events = 0;
  std::size_t acknowledged_missing = 0;
  std::size_t half_stored_batches = 0;
  std::size_t stored_more_than_once = 0;
  std::size_t stored_but_never_sent = 0;
};

// What got stored (event_id -> times) against what was sent and acknowledged.
store_check check_store(const std::map<std::string, int>& stored,
                        const std::vector<ledger::batch>& batches);

// GET `target`; nullopt when the request fails or times out.
std::optional<http_reply> try_get(std::uint16_t port, const std::string& target,
                                  const std::string& token);

}  // namespace evs::test
