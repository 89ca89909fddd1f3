#include "jetstream/publisher.hpp"

#include "jetstream/event_message.hpp"
#include "jetstream/nats_connection.hpp"
#include "runtime/log.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

namespace evs::jetstream {

using clock = std::chrono::steady_clock;

// One group in flight on one JetStream context. Acks arrive on a libnats thread (on_ack) and
// are matched to the group by their Nats-Msg-Id.
struct publisher::lane {
  context_ptr js;
  std::mutex mutex;
  std::condition_variable answered;
  std::unordered_map<std::string_view, std::size_t> position;  // event_id -> index in the group
  storage::insert_outcome outcome;
  std::vector<char> acked;
  std::size_t unacked = 0;     // events of the group without a PubAck yet
  std::size_t unanswered = 0;  // messages of this round without any answer yet
  std::string last_error;
};

namespace {

// How long one round waits for its acks before unanswered messages are resent: long enough
// for a loaded cluster to answer, short next to the time a leader election takes.
constexpr auto round_wait = std::chrono::milliseconds{2000};
// After a round that ended in errors only (no leader, no responders), before the next.
constexpr auto error_pause = std::chrono::milliseconds{100};

void on_ack(jsCtx*, natsMsg* msg, jsPubAck* ack, jsPubAckErr* error, void* closure) {
  auto& lane = *static_cast<publisher::lane*>(closure);
  const char* id = nullptr;
  natsMsgHeader_Get(msg, message_id_header, &id);
  {
    const std::lock_guard lock{lane.mutex};
    const auto found = id ? lane.position.find(id) : lane.position.end();
    // Absent: a late answer to a message of an earlier group, already given up on.
    if (found != lane.position.end() && !lane.acked[found->second]) {
      if (lane.unanswered > 0) --lane.unanswered;
      if (ack) {
        lane.acked[found->second] = 1;
        --lane.unacked;
        if (!ack->Duplicate) lane.outcome[found->second] = static_cast<std::int64_t>(ack->Sequence);
      } else if (error) {
        lane.last_error = error->ErrText ? error->ErrText : natsStatus_GetText(error->Err);
      }
    }
  }
  lane.answered.notify_all();
  natsMsg_Destroy(msg);
}

message_ptr make_message(const std::string& subject, const core::new_event& event) {
  const auto body = message_body(event);
  natsMsg* raw = nullptr;
  if (natsMsg_Create(&raw, subject.c_str(), nullptr, body.data(), static_cast<int>(body.size())) !=
      NATS_OK)
    return nullptr;
  message_ptr msg{raw};
  const auto received = std::to_string(event.received_at_us);
  if (natsMsgHeader_Set(msg.get(), message_id_header, event.event_id.c_str()) != NATS_OK ||
      natsMsgHeader_Set(msg.get(), received_at_header, received.c_str()) != NATS_OK)
    return nullptr;
  return msg;
}

// Takes the unanswered messages back from libnats, so that their late answers are dropped
// rather than matched to the resends.
void forget_pending(jsCtx& js) {
  natsMsgList pending{};
  if (js_PublishAsyncGetPendingList(&pending, &js) == NATS_OK) natsMsgList_Destroy(&pending);
}

}  // namespace

publisher::publisher(natsConnection& connection, const jetstream_config& config, std::size_t lanes)
    : connection_{connection}, config_{config}, admin_{open_context(connection, config)} {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, lanes); ++i) {
    auto l = std::make_unique<lane>();
    l->js = open_context(connection_, config_, on_ack, l.get());
    free_.push_back(l.get());
    lanes_.push_back(std::move(l));
  }
}

publisher::~publisher() {
  // Contexts first: an ack arriving meanwhile must still find its lane's mutex alive.
  for (auto& l : lanes_) l->js.reset();
  admin_.reset();
}

publisher::lane& publisher::take_lane() {
  std::unique_lock lock{free_mutex_};
  lane_free_.wait(lock, [this] { return !free_.empty(); });
  auto* l = free_.back();
  free_.pop_back();
  return *l;
}

void publisher::give_back(lane& l) {
  {
    const std::lock_guard lock{free_mutex_};
    free_.push_back(&l);
  }
  lane_free_.notify_one();
}

result<storage::insert_outcome> publisher::publish(std::span<const core::new_event> events) {
  auto& l = take_lane();
  std::vector<std::size_t> to_send;
  {
    const std::lock_guard lock{l.mutex};
    l.position.clear();
    l.outcome.assign(events.size(), std::nullopt);
    l.acked.assign(events.size(), 0);
    l.last_error.clear();
    for (std::size_t i = 0; i < events.size(); ++i) {
      // A repeat within the group is a duplicate at once, as the stores count it.
      if (l.position.emplace(events[i].event_id, i).second)
        to_send.push_back(i);
      else
        l.acked[i] = 1;
    }
    l.unacked = to_send.size();
  }
  const auto deadline = clock::now() + config_.timeout;
  bool complete = false;
  std::size_t rounds = 0;
  for (;;) {
    ++rounds;
    {
      const std::lock_guard lock{l.mutex};
      l.unanswered = to_send.size();
    }
    for (const auto i : to_send) {
      auto msg = make_message(config_.subject, events[i]);
      natsMsg* raw = msg.get();
      // On success libnats owns the message and clears `raw`; release ours to match.
      if (raw && js_PublishMsgAsync(l.js.get(), &raw, nullptr) == NATS_OK) {
        (void)msg.release();
        continue;
      }
      const std::lock_guard lock{l.mutex};
      if (l.unanswered > 0) --l.unanswered;  // not sent: this round will not hear of it
    }
    std::unique_lock lock{l.mutex};
    const auto round_end = std::min(deadline, clock::now() + round_wait);
    l.answered.wait_until(lock, round_end, [&l] { return l.unacked == 0 || l.unanswered == 0; });
    if (l.unacked == 0) {
      complete = true;
      break;
    }
    const bool errors_only = l.unanswered == 0;
    to_send.clear();
    for (std::size_t i = 0; i < events.size(); ++i)
      if (!l.acked[i]) to_send.push_back(i);
    lock.unlock();
    forget_pending(*l.js);
    if (clock::now() >= deadline) break;
    if (errors_only)
      std::this_thread::sleep_for(std::min<clock::duration>(error_pause, deadline - clock::now()));
  }

  std::unique_lock lock{l.mutex};
  l.position.clear();  // from here on, late answers find nothing to match
  auto outcome = std::move(l.outcome);
  const auto missing = l.unacked;
  const auto reason = l.last_error;
  lock.unlock();
  give_back(l);
  if (complete) return outcome;
  log::warn("JetStream did not acknowledge every event in time; answering 503",
            {{"stream", config_.stream},
             {"unacknowledged", std::to_string(missing)},
             {"events", std::to_string(events.size())},
             {"rounds", std::to_string(rounds)},
             {"last_error", reason.empty() ? std::string{"no answer"} : reason}});
  return errc::storage_unavailable;
}

result<void> publisher::ping() {
  jsOptions options;
  jsOptions_Init(&options);
  options.Wait = std::min<int64_t>(config_.timeout.count(), 2000);
  jsStreamInfo* raw = nullptr;
  jsErrCode code{};
  const natsStatus s =
      js_GetStreamInfo(&raw, admin_.get(), config_.stream.c_str(), &options, &code);
  const stream_info_ptr info{raw};
  if (s != NATS_OK || !info) return errc::storage_unavailable;
  // A stream without a leader stores nothing: a quorum of its servers is gone.
  if (info->Cluster && (!info->Cluster->Leader || !*info->Cluster->Leader))
    return errc::storage_unavailable;
  return {};
}

}  // namespace evs::jetstream
