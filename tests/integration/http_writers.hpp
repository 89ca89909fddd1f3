#pragma once
// HTTP load for the tests that take PostgreSQL away under a running event-consumer: writer
// threads that post batches with fresh event_ids and resend a refused batch with the same ids
// (as a client does after a 503), a ledger of what was sent and acknowledged, and the check of
// what the store holds afterwards against it.
#include "support/http_client.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace evs::test {

// A request that takes longer than this counts as a hang.
inline constexpr std::chrono::seconds request_timeout{5};

std::string batch_body(const std::vector<std::string>& ids, const std::string& event_type);

// A Retry-After header with a number of seconds.
bool has_retry_after(const http_reply& reply);

// What the writers sent and what they were told.
struct ledger {
  using clock_type = std::chrono::steady_clock;

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

  std::size_t add(std::vector<std::string> ids);
  void acknowledge(std::size_t index);
  void note(std::string what);
  void timed(clock_type::duration d);
};

// Writer threads posting batches of 1 to 5 events with fresh event_ids. A batch answered
// with anything but 200 is sent again with the same event_ids, as a client does after a 503.
// With `give_up_when_gone`, a writer stops at the first transport error (the server was
// killed) and leaves its batch unacknowledged; otherwise it reconnects and retries. After
// finish(), a writer retries its current batch for up to `finish_grace` before leaving it.
class http_writers {
 public:
  using clock_type = std::chrono::steady_clock;

  http_writers(std::uint16_t port, int threads, std::string prefix, std::string event_type,
               bool give_up_when_gone);
  ~http_writers() { finish(std::chrono::seconds{0}); }
  http_writers(const http_writers&) = delete;
  http_writers& operator=(const http_writers&) = delete;

  // The outage window, as steady-clock times: set when the server has stopped and just
  // before it is started again (or a standby promoted). A 200 to a request sent after the
  // first and received before the second cannot be a committed write.
  void server_down() { down_since_ = clock_type::now().time_since_epoch().count(); }
  void server_starting() { up_since_ = clock_type::now().time_since_epoch().count(); }
  // When the first 200 arrived that was received after server_starting(); nullopt: none yet.
  std::optional<clock_type::time_point> first_acknowledged_after_start() const;

  void finish(clock_type::duration finish_grace);

  ledger& log() { return log_; }

 private:
  bool giving_up() const;
  void run(int t);

  std::uint16_t port_;
  std::string token_;
  std::string prefix_;
  std::string event_type_;
  bool give_up_when_gone_;
  ledger log_;
  std::atomic<bool> stop_{false};
  std::atomic<clock_type::rep> give_up_at_{0};
  std::atomic<clock_type::rep> down_since_{0};
  std::atomic<clock_type::rep> up_since_{0};
  std::atomic<clock_type::rep> first_ack_after_start_{0};
  std::vector<std::thread> workers_;
};

// event_id -> how many times an event of `event_type` is stored, read over HTTP from the
// consumer on `port`.
std::map<std::string, int> stored_event_ids(std::uint16_t port, const std::string& event_type);

struct store_check {
  std::size_t sent_events = 0;
  std::size_t acknowledged_missing = 0;
  std::size_t half_stored_batches = 0;
  std::size_t stored_more_than_once = 0;
  std::size_t stored_but_never_sent = 0;
};

store_check check_store(const std::map<std::string, int>& stored,
                        const std::vector<ledger::batch>& batches);

// GET `target`; nullopt when the request fails or times out.
std::optional<http_reply> try_get(std::uint16_t port, const std::string& target,
                                  const std::string& token);

}  // namespace evs::test
