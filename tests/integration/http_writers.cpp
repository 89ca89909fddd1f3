#include "http_writers.hpp"

#include "support/consumer_process.hpp"
#include "support/tokens.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

namespace evs::test {

std::string batch_body(const std::vector<std::string>& ids, const std::string& event_type) {
  std::string body = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i != 0) body += ",";
    body += R"({"event_type":")" + event_type + R"(","event_id":")" + ids[i] +
            R"(","event_payload":{"n":)" + std::to_string(i) + "}}";
  }
  return body + "]";
}

bool has_retry_after(const http_reply& reply) {
  const auto value = reply.header("Retry-After");
  if (!value || value->empty()) return false;
  return std::all_of(value->begin(), value->end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::size_t ledger::add(std::vector<std::string> ids) {
  const std::lock_guard lock{mutex};
  batches.push_back({std::move(ids), false});
  return batches.size() - 1;
}

void ledger::acknowledge(std::size_t index) {
  {
    const std::lock_guard lock{mutex};
    batches[index].acknowledged = true;
  }
  ++acknowledged_batches;
}

void ledger::note(std::string what) {
  const std::lock_guard lock{mutex};
  unexpected.push_back(std::move(what));
}

void ledger::timed(clock_type::duration d) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  auto seen = slowest_ms.load();
  while (ms > seen && !slowest_ms.compare_exchange_weak(seen, ms)) {
  }
}

http_writers::http_writers(std::uint16_t port, int threads, std::string prefix,
                           std::string event_type, bool give_up_when_gone)
    : port_{port},
      token_{make_token("events:write")},
      prefix_{std::move(prefix)},
      event_type_{std::move(event_type)},
      give_up_when_gone_{give_up_when_gone} {
  for (int t = 0; t < threads; ++t) workers_.emplace_back([this, t] { run(t); });
}

std::optional<http_writers::clock_type::time_point> http_writers::first_acknowledged_after_start()
    const {
  const auto first = first_ack_after_start_.load();
  if (first == 0) return std::nullopt;
  return clock_type::time_point{clock_type::duration{first}};
}

void http_writers::finish(clock_type::duration finish_grace) {
  if (!stop_.exchange(true))
    give_up_at_ = (clock_type::now() + finish_grace).time_since_epoch().count();
  for (auto& w : workers_)
    if (w.joinable()) w.join();
}

bool http_writers::giving_up() const {
  return stop_ && clock_type::now().time_since_epoch().count() >= give_up_at_.load();
}

void http_writers::run(int t) {
  std::unique_ptr<http_client> client;
  for (int seq = 0; !stop_; ++seq) {
    std::vector<std::string> ids;
    for (int i = 0; i <= seq % 5; ++i)
      ids.push_back(prefix_ + "-" + std::to_string(t) + "-" + std::to_string(seq) + "-" +
                    std::to_string(i));
    const auto body = batch_body(ids, event_type_);
    const auto index = log_.add(std::move(ids));
    for (;;) {
      const auto sent = clock_type::now();
      std::optional<http_reply> reply;
      try {
        if (!client) client = std::make_unique<http_client>(port_, request_timeout);
        reply = client->post("/api/event", body, token_);
      } catch (const std::exception&) {
        ++log_.transport_errors;
        client.reset();
        if (give_up_when_gone_) return;
      }
      const auto received = clock_type::now();
      log_.timed(received - sent);
      if (reply) {
        if (reply->status == 200) {
          const auto down = down_since_.load();
          const auto up = up_since_.load();
          if (down != 0 && sent.time_since_epoch().count() >= down && up == 0)
            log_.note("200 while the database server was stopped: " + reply->body);
          if (up != 0 && received.time_since_epoch().count() >= up) {
            clock_type::rep none = 0;
            first_ack_after_start_.compare_exchange_strong(none,
                                                           received.time_since_epoch().count());
          }
          log_.acknowledge(index);
          if (!reply->keep_alive) client.reset();
          break;
        }
        if (reply->status == 503)
          ++log_.unavailable;
        else if (reply->status == 429)
          ++log_.busy;
        else
          log_.note(std::to_string(reply->status) + " " + reply->body);
        if ((reply->status == 503 || reply->status == 429) && !has_retry_after(*reply))
          ++log_.without_retry_after;
        if (!reply->keep_alive) client.reset();
      }
      if (giving_up()) return;
      // A client's short pause before sending the same batch again.
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
  }
}

std::map<std::string, int> stored_event_ids(std::uint16_t port, const std::string& event_type) {
  return count_stored_event_ids(port, "&event_type=" + event_type);
}

store_check check_store(const std::map<std::string, int>& stored,
                        const std::vector<ledger::batch>& batches) {
  store_check c;
  std::map<std::string, bool> sent;
  for (const auto& b : batches) {
    std::size_t present = 0;
    for (const auto& id : b.ids) {
      sent[id] = true;
      present += stored.contains(id) ? 1U : 0U;
      if (b.acknowledged && !stored.contains(id)) ++c.acknowledged_missing;
    }
    if (present != 0 && present != b.ids.size()) ++c.half_stored_batches;
    c.sent_events += b.ids.size();
  }
  for (const auto& [id, count] : stored) {
    if (count != 1) ++c.stored_more_than_once;
    if (!sent.contains(id)) ++c.stored_but_never_sent;
  }
  return c;
}

std::optional<http_reply> try_get(std::uint16_t port, const std::string& target,
                                  const std::string& token) {
  try {
    http_client client{port, request_timeout};
    return client.get(target, token);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace evs::test
