#include "loader/drain_loop.hpp"

#include "jetstream/event_message.hpp"
#include "jetstream/nats_connection.hpp"
#include "jetstream/stream_setup.hpp"
#include "runtime/log.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace evs::loader {
namespace {

using clock = std::chrono::steady_clock;

constexpr auto first_backoff = std::chrono::milliseconds{100};
constexpr auto max_backoff = std::chrono::milliseconds{5000};

// Sleeps `d`, or less when a stop is requested.
void pause(std::chrono::milliseconds d, const std::stop_token& stop) {
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock lock{m};
  cv.wait_for(lock, stop, d, [] { return false; });
}

struct message_list {
  natsMsgList list{};
  ~message_list() { natsMsgList_Destroy(&list); }
  std::span<natsMsg*> messages() {
    return {list.Msgs, static_cast<std::size_t>(std::max(0, list.Count))};
  }
};

std::string_view header(natsMsg* msg, const char* name) {
  const char* value = nullptr;
  if (natsMsgHeader_Get(msg, name, &value) != NATS_OK || !value) return {};
  return value;
}

}  // namespace

// Loaders that may hold a batch each at once on one durable consumer.
constexpr std::size_t max_sharing_loaders = 16;

drain_loop::drain_loop(natsConnection& connection, const jetstream::jetstream_config& nats,
                       const drain_settings& settings, storage::event_store& store,
                       loader_metrics& metrics)
    : nats_{nats},
      settings_{settings},
      store_{store},
      metrics_{metrics},
      js_{jetstream::open_context(connection, nats)},
      last_status_{clock::now()} {
  jetstream::ensure_stream(*js_, nats_);
  jsSubOptions options;
  jsSubOptions_Init(&options);
  options.Stream = nats_.stream.c_str();
  options.Config.AckPolicy = js_AckExplicit;
  options.Config.AckWait =
      std::chrono::duration_cast<std::chrono::nanoseconds>(settings_.ack_wait).count();
  options.Config.DeliverPolicy = js_DeliverAll;
  // Room for several loaders sharing the durable consumer, each holding one batch: with room for
  // one batch only, a second loader's fetch waits until the first acknowledges, and two loaders
  // drain slower than one.
  options.Config.MaxAckPending =
      static_cast<int64_t>(std::max<std::size_t>(settings_.batch, 1000) * max_sharing_loaders);
  const auto deadline = clock::now() + nats_.timeout;
  for (;;) {
    natsSubscription* sub = nullptr;
    jsErrCode code{};
    const natsStatus s = js_PullSubscribe(&sub, js_.get(), nats_.subject.c_str(),
                                          settings_.durable.c_str(), nullptr, &options, &code);
    if (s == NATS_OK) {
      subscription_.reset(sub);
      break;
    }
    if (clock::now() >= deadline)
      jetstream::throw_unless_ok(s, "NATS_STREAM: cannot bind durable consumer " +
                                        settings_.durable + " on stream " + nats_.stream +
                                        " (JetStream error " + std::to_string(code) + ")");
    std::this_thread::sleep_for(std::chrono::milliseconds{200});
  }
  log::info("event-loader draining", {{"stream", nats_.stream},
                                      {"durable", settings_.durable},
                                      {"batch", std::to_string(settings_.batch)}});
}

void drain_loop::run(std::stop_token stop) {
  auto backoff = first_backoff;
  std::vector<core::new_event> events;
  while (!stop.stop_requested()) {
    if (clock::now() - last_status_ >= settings_.status_interval) report_status(clock::now());
    message_list fetched;
    jsErrCode code{};
    const natsStatus s = natsSubscription_Fetch(&fetched.list, subscription_.get(),
                                                static_cast<int>(settings_.batch),
                                                settings_.fetch_wait.count(), &code);
    if (s == NATS_TIMEOUT) continue;  // nothing to load
    if (s != NATS_OK) {
      log::warn("fetch from JetStream failed; trying again",
                {{"status", natsStatus_GetText(s)}, {"jetstream_error", std::to_string(code)}});
      pause(backoff, stop);
      backoff = std::min(backoff * 2, max_backoff);
      continue;
    }
    backoff = first_backoff;

    events.clear();
    std::vector<natsMsg*> to_ack;
    for (auto* msg : fetched.messages()) {
      const auto data = natsMsg_GetData(msg);
      auto event = jetstream::event_from_message(
          {data ? data : "", static_cast<std::size_t>(std::max(0, natsMsg_GetDataLength(msg)))},
          header(msg, jetstream::received_at_header));
      if (!event) {
        // Never loadable: terminate it, so that it does not come back forever.
        metrics_.bad_messages.add();
        log::warn("message on the stream is not an event; terminated",
                  {{"subject", natsMsg_GetSubject(msg)}});
        natsMsg_Term(msg, nullptr);
        continue;
      }
      events.push_back(std::move(*event));
      to_ack.push_back(msg);
    }
    if (!fetched.messages().empty()) {
      jsMsgMetaData* meta = nullptr;
      if (natsMsg_GetMetaData(&meta, fetched.messages().back()) == NATS_OK && meta) {
        metrics_.pending.set(meta->NumPending);
        jsMsgMetaData_Destroy(meta);
      }
    }
    if (events.empty()) continue;
    // Left unacknowledged on a stop: JetStream delivers them again to the next start.
    if (!commit(events, stop)) return;
    for (auto* msg : to_ack) natsMsg_Ack(msg, nullptr);
    metrics_.batches.add();
  }
}

bool drain_loop::commit(const std::vector<core::new_event>& events, std::stop_token stop) {
  auto backoff = first_backoff;
  for (;;) {
    const auto start = clock::now();
    const auto outcome = store_.insert(events);
    if (outcome) {
      metrics_.commit_duration.observe(static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(clock::now() - start).count()));
      const auto loaded = static_cast<std::uint64_t>(
          std::count_if(outcome->begin(), outcome->end(), [](const auto& id) { return id; }));
      metrics_.loaded.add(loaded);
      metrics_.duplicates.add(events.size() - loaded);
      if (metrics_.store_down.value() != 0) {
        metrics_.store_down.set(0);
        log::info("store is taking events again");
      }
      return true;
    }
    metrics_.store_failures.add();
    if (metrics_.store_down.value() == 0) {
      metrics_.store_down.set(1);
      log::warn("insert failed; the batch stays unacknowledged and is tried again",
                {{"error", outcome.error().message()}, {"events", std::to_string(events.size())}});
    }
    pause(backoff, stop);
    if (stop.stop_requested()) return false;
    backoff = std::min(backoff * 2, max_backoff);
  }
}

void drain_loop::report_status(clock::time_point now) {
  const double seconds = std::max(1e-9, std::chrono::duration<double>(now - last_status_).count());
  const auto loaded = metrics_.loaded.value();
  log::info("status",
            {{"loaded", std::to_string(loaded)},
             {"duplicates", std::to_string(metrics_.duplicates.value())},
             {"rate_per_s", std::to_string(static_cast<std::uint64_t>(
                                static_cast<double>(loaded - loaded_at_last_status_) / seconds))},
             {"stream_pending", std::to_string(metrics_.pending.value())},
             {"store_down", metrics_.store_down.value() != 0 ? "yes" : "no"}});
  loaded_at_last_status_ = loaded;
  last_status_ = now;
}

}  // namespace evs::loader
