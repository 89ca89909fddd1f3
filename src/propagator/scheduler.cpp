#include "propagator/scheduler.hpp"

#include "core/rfc3339.hpp"
#include "core/uuid.hpp"
#include "propagator/batch_body.hpp"
#include "propagator/delivery_status.hpp"
#include "runtime/log.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace evs::propagator {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

scheduler::duration seconds_to_duration(double seconds) {
  return duration_cast<scheduler::duration>(std::chrono::duration<double>{seconds});
}

std::chrono::milliseconds to_ms(double seconds) {
  return duration_cast<milliseconds>(std::chrono::duration<double>{seconds});
}

backoff_policy policy_of(const config& cfg) {
  return {to_ms(cfg.backoff_base_seconds), to_ms(cfg.backoff_max_seconds),
          to_ms(cfg.max_retry_after_seconds)};
}

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

double seconds_between(scheduler::time_point from, scheduler::time_point to) {
  return std::chrono::duration<double>{to - from}.count();
}

// A response body in a log line: short and on one line.
std::string excerpt(std::string_view body) {
  std::string out{body.substr(0, 300)};
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  if (body.size() > 300) out += "...";
  return out;
}

std::string why(const send_result& r) {
  return r.http_status != 0 ? "HTTP " + std::to_string(r.http_status) : r.error;
}

}  // namespace

scheduler::scheduler(const config& cfg, scheduler_deps deps)
    : cfg_{cfg},
      deps_{deps},
      backoff_{policy_of(cfg), deps.random},
      id_random_{deps.id_seed},
      interval_{std::max(seconds_to_duration(cfg.interval_seconds), scheduler::duration{1})},
      send_limit_{cfg.max_batch} {}

bool scheduler::generation_open() const {
  return !draining_ && (cfg_.count == 0 || generation_budget_ > 0);
}

run_stats scheduler::run() {
  auto& store = deps_.store;
  start_ = deps_.time.steady_now();
  next_tick_ = next_attempt_ = last_status_ = start_;
  next_status_ = start_ + seconds_to_duration(cfg_.status_interval_seconds);
  const std::size_t resumed = store.pending();
  note_pending();
  if (cfg_.count > 0) generation_budget_ = cfg_.count > resumed ? cfg_.count - resumed : 0;

  log::info("started", {{"api_url", cfg_.api_url},
                        {"interval_seconds", fixed(cfg_.interval_seconds, 3)},
                        {"batch_size", std::to_string(cfg_.batch_size)},
                        {"templates", std::to_string(deps_.source.size())},
                        {"spool", cfg_.spool_path},
                        {"pending", std::to_string(resumed)}});
  if (resumed > 0)
    log::info("resuming events left in the spool", {{"pending", std::to_string(resumed)}});
  if (store.dead_letter_count() > 0)
    log::warn("the spool holds dead letters; --dead-letters lists them",
              {{"dead_letters", std::to_string(store.dead_letter_count())}});

  std::string_view reason = "stopped";
  for (;;) {
    const int stop_level = deps_.stop.level();
    auto now = deps_.time.steady_now();
    if (stop_level >= 1 && !draining_) {
      draining_ = true;
      drain_deadline_ = now + seconds_to_duration(cfg_.shutdown_timeout_seconds);
    }
    if (draining_ && (stop_level >= 2 || store.pending() == 0 || now >= drain_deadline_)) {
      reason = stop_level >= 2        ? "stopped at once"
               : store.pending() == 0 ? "stopped, everything delivered"
                                      : "stopped, shutdown timeout reached";
      break;
    }
    if (cfg_.count > 0 && stats_.delivered >= cfg_.count) {
      reason = "count reached";
      break;
    }
    if (cfg_.count > 0 && generation_budget_ == 0 && store.pending() == 0) {
      reason = "count reached, some events dead-lettered";
      break;
    }

    // Status before generating: a line never shows an event that is merely on its way.
    if (now >= next_status_) report_status(now);
    if (generation_open()) generate_due(now);
    if (store.pending() > 0 && now >= next_attempt_) {
      deliver_once(now);
      continue;
    }

    auto wake = next_status_;
    if (generation_open() && cfg_.interval_seconds > 0) wake = std::min(wake, next_tick_);
    if (store.pending() > 0) wake = std::min(wake, next_attempt_);
    if (draining_) wake = std::min(wake, drain_deadline_);
    deps_.pause.sleep_until(wake, deps_.stop, stop_level);
  }
  report_summary(deps_.time.steady_now(), reason);
  stats_.pending = store.pending();
  return stats_;
}

void scheduler::generate_due(time_point now) {
  std::size_t wanted = 0;
  if (cfg_.interval_seconds <= 0) {
    // As fast as the endpoint takes them: keep one full request's worth waiting, no more, so
    // an endpoint that is down does not fill the spool.
    const std::size_t pending = deps_.store.pending();
    if (pending >= send_limit_) return;
    const std::size_t ticks = (send_limit_ - pending + cfg_.batch_size - 1) / cfg_.batch_size;
    wanted = ticks * cfg_.batch_size;
  } else {
    if (now < next_tick_) return;
    // Ticks missed while busy are made up in one transaction, a request's worth at most.
    const auto behind = static_cast<std::uint64_t>((now - next_tick_) / interval_);
    const std::uint64_t max_ticks = std::max<std::size_t>(1, send_limit_ / cfg_.batch_size);
    const std::uint64_t ticks = std::min(behind + 1, max_ticks);
    next_tick_ += interval_ * static_cast<std::int64_t>(ticks);
    if (next_tick_ <= now) next_tick_ = now + interval_;
    wanted = static_cast<std::size_t>(ticks) * cfg_.batch_size;
  }
  generate(wanted);
}

std::size_t scheduler::generate(std::size_t wanted) {
  if (cfg_.count > 0)
    wanted = static_cast<std::size_t>(std::min<std::uint64_t>(wanted, generation_budget_));
  if (wanted == 0) return 0;
  auto& store = deps_.store;
  if (store.full()) {
    if (!spool_full_logged_)
      log::warn("spool full: generation paused until the endpoint takes events",
                {{"pending", std::to_string(store.pending())},
                 {"capacity", std::to_string(store.capacity())}});
    spool_full_logged_ = true;
    return 0;
  }
  if (spool_full_logged_) {
    log::info("spool has room again: generation resumed",
              {{"pending", std::to_string(store.pending())}});
    spool_full_logged_ = false;
  }
  std::vector<spooled_event> events;
  events.reserve(wanted);
  for (std::size_t i = 0; i < wanted; ++i) {
    const auto now_us = deps_.time.wall_now_us();
    const auto& t = deps_.source.next();
    // The id's time part and occurred_at are the same instant.
    const auto random_a = id_random_.bits();
    const auto id = core::make_uuid_v7(now_us / 1000, random_a, id_random_.bits());
    events.push_back({0, id, t.event_type, t.payload_json, core::format_rfc3339(now_us), now_us});
  }
  const std::size_t stored = store.append(events);
  stats_.generated += stored;
  metrics_.generated.add(stored);
  note_pending();
  if (cfg_.count > 0) generation_budget_ -= stored;
  if (log::enabled(log::level::debug)) {
    for (std::size_t i = 0; i < stored; ++i)
      log::debug("generated",
                 {{"event_id", events[i].event_id}, {"event_type", events[i].event_type}});
  }
  if (stored < wanted) {
    log::warn("spool full: generation paused until the endpoint takes events",
              {{"pending", std::to_string(store.pending())},
               {"capacity", std::to_string(store.capacity())},
               {"not_generated", std::to_string(wanted - stored)}});
    spool_full_logged_ = true;
  }
  return stored;
}

void scheduler::deliver_once(time_point now) {
  auto& store = deps_.store;
  const auto events = store.oldest(send_limit_);
  const auto body = make_batch_body(events, cfg_.max_body_bytes);
  const std::span<const spooled_event> batch{events.data(), body.count};

  auto timeout = to_ms(cfg_.request_timeout_seconds);
  if (draining_)
    timeout =
        std::clamp(duration_cast<milliseconds>(drain_deadline_ - now), milliseconds{1}, timeout);
  const auto sent_at = deps_.time.steady_now();
  const send_result result = deps_.out.send(body.json, timeout);
  const auto elapsed = deps_.time.steady_now() - sent_at;
  ++stats_.requests;

  switch (classify_status(result.http_status)) {
    case delivery_outcome::ok: {
      store.remove(batch);
      stats_.delivered += batch.size();
      note_pending();
      const auto duplicates = reported_duplicates(result.body).value_or(0);
      stats_.duplicates += duplicates;
      if (retrying_)
        log::info("endpoint is taking events again",
                  {{"failed_attempts", std::to_string(backoff_.failures())}});
      else if (!ever_delivered_)
        log::info("endpoint reachable", {{"api_url", cfg_.api_url}});
      log::debug("delivered", {{"events", std::to_string(batch.size())},
                               {"status", std::to_string(result.http_status)},
                               {"duplicates", std::to_string(duplicates)}});
      retrying_ = false;
      ever_delivered_ = true;
      backoff_.reset();
      note_backoff({});
      // Last, so that a scrape showing these events delivered shows the backoff over.
      metrics_.count_request(request_outcome::delivered, elapsed);
      metrics_.delivered.add(batch.size());
      next_attempt_ = deps_.time.steady_now();
      break;
    }
    case delivery_outcome::retry: {
      metrics_.count_request(
          result.http_status == 0 ? request_outcome::error : request_outcome::retry, elapsed);
      ++stats_.failed_attempts;
      std::optional<milliseconds> advice;
      if (result.retry_after) {
        const auto now_unix = deps_.time.wall_now_us() / 1'000'000;
        if (auto s = parse_retry_after(*result.retry_after, now_unix)) advice = *s;
      }
      const auto delay = backoff_.next_delay(advice);
      retrying_ = true;
      note_backoff(delay);
      next_attempt_ = deps_.time.steady_now() + delay;
      log::warn(ever_delivered_ ? "delivery failed, will retry"
                                : "endpoint not ready yet, waiting for it",
                {{"reason", why(result)},
                 {"events", std::to_string(batch.size())},
                 {"attempt", std::to_string(backoff_.failures())},
                 {"retry_in_ms", std::to_string(delay.count())},
                 {"pending", std::to_string(store.pending())}});
      break;
    }
    case delivery_outcome::error:
      metrics_.count_request(
          on_rejected(batch, result) ? request_outcome::dead_letter : request_outcome::retry,
          elapsed);
      backoff_.reset();
      note_backoff({});
      next_attempt_ = deps_.time.steady_now();
      break;
  }
}

bool scheduler::on_rejected(std::span<const spooled_event> batch, const send_result& result) {
  if (result.http_status == 413 && batch.size() > 1) {
    // Too large for this endpoint, not wrong: send smaller requests instead.
    send_limit_ = std::max<std::size_t>(1, batch.size() / 2);
    log::warn("endpoint refused the request as too large; sending smaller batches",
              {{"max_events_per_request", std::to_string(send_limit_)}});
    return false;
  }
  if (result.http_status == 422 && batch.size() > 1) {
    // The endpoint takes a batch all or nothing: dead-letter only the events it blames and
    // send the others again.
    const auto positions = rejected_positions(result.body, batch.size());
    if (!positions.empty() && positions.size() < batch.size()) {
      std::vector<spooled_event> blamed;
      blamed.reserve(positions.size());
      for (const auto p : positions) blamed.push_back(batch[p]);
      dead_letter(blamed, result, "rejected by the endpoint");
      return true;
    }
  }
  dead_letter(batch, result, "rejected by the endpoint");
  return true;
}

void scheduler::dead_letter(std::span<const spooled_event> events, const send_result& result,
                            std::string_view reason) {
  deps_.store.move_to_dead_letters(events, result.http_status, result.body, reason,
                                   deps_.time.wall_now_us());
  stats_.dead_lettered += events.size();
  metrics_.dead_lettered.add(events.size());
  note_pending();
  log::error("events moved to dead letters", {{"status", std::to_string(result.http_status)},
                                              {"events", std::to_string(events.size())},
                                              {"first_event_id", events.front().event_id},
                                              {"response", excerpt(result.body)},
                                              {"hint", "event-propagator --dead-letters"}});
}

void scheduler::note_pending() { metrics_.pending.set(deps_.store.pending()); }

// The backoff state a scrape shows: after a failure, the wait chosen and the failures so far;
// after a delivery or a refusal, none.
void scheduler::note_backoff(std::chrono::milliseconds delay) {
  metrics_.retrying.set(retrying_ ? 1U : 0U);
  metrics_.attempt.set(static_cast<std::uint64_t>(backoff_.failures()));
  metrics_.backoff_nanoseconds.set(
      static_cast<std::uint64_t>(std::chrono::nanoseconds{delay}.count()));
}

void scheduler::report_status(time_point now) {
  const double elapsed = std::max(1e-9, seconds_between(last_status_, now));
  const double rate = static_cast<double>(stats_.delivered - delivered_at_last_status_) / elapsed;
  log::info("status", {{"generated", std::to_string(stats_.generated)},
                       {"delivered", std::to_string(stats_.delivered)},
                       {"pending", std::to_string(deps_.store.pending())},
                       {"retrying", retrying_ ? "yes" : "no"},
                       {"dead_lettered", std::to_string(stats_.dead_lettered)},
                       {"rate_per_s", fixed(rate, 1)}});
  delivered_at_last_status_ = stats_.delivered;
  last_status_ = now;
  next_status_ = now + seconds_to_duration(cfg_.status_interval_seconds);
}

void scheduler::report_summary(time_point now, std::string_view reason) {
  const double elapsed = seconds_between(start_, now);
  const double rate = elapsed > 0 ? static_cast<double>(stats_.delivered) / elapsed : 0.0;
  const auto pending = deps_.store.pending();
  log::info(reason, {{"generated", std::to_string(stats_.generated)},
                     {"delivered", std::to_string(stats_.delivered)},
                     {"duplicates", std::to_string(stats_.duplicates)},
                     {"dead_lettered", std::to_string(stats_.dead_lettered)},
                     {"pending", std::to_string(pending)},
                     {"requests", std::to_string(stats_.requests)},
                     {"elapsed_s", fixed(elapsed, 1)},
                     {"rate_per_s", fixed(rate, 1)}});
  if (pending > 0)
    log::info("pending events stay in the spool and are sent on the next start",
              {{"pending", std::to_string(pending)}, {"spool", cfg_.spool_path}});
}

}  // namespace evs::propagator
