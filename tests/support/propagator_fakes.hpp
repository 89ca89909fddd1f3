#pragma once
// Test doubles for the propagator's injected parts: time that advances only when asked,
// chosen random numbers, a scripted sender, and a temporary folder. Tests only.
#include "propagator/sender.hpp"
#include "propagator/waiter.hpp"
#include "runtime/clock.hpp"
#include "runtime/random.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <deque>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <stdlib.h>

namespace evs::propagator::testing {

// Steady time that moves only when slept on or advanced: sleeping jumps straight to the
// deadline, and every requested sleep is recorded. Wall time stands still at 2024-05-01.
class fake_clock final : public runtime::clock, public waiter {
 public:
  using duration = std::chrono::steady_clock::duration;

  wall_time wall_now() const override { return wall_time{std::chrono::seconds{1'714'566'600}}; }
  steady_time steady_now() const override { return now_; }
  void sleep_until(steady_time deadline, stop_signal& stop, int seen) override {
    if (stop.level() != seen) return;
    if (++sleeps_ > 1'000'000) throw std::runtime_error("fake_clock: the loop never ends");
    slept_.push_back(deadline - now_);
    if (deadline > now_) now_ = deadline;
  }
  void advance(duration d) { now_ += d; }
  const std::vector<duration>& slept() const { return slept_; }

 private:
  steady_time now_ = steady_time{} + std::chrono::hours{1};
  std::size_t sleeps_ = 0;
  std::vector<duration> slept_;
};

class fixed_random final : public runtime::random_source {
 public:
  explicit fixed_random(double value = 0.5) : value_{value} {}
  std::uint64_t bits() override { return static_cast<std::uint64_t>(value_ * 0x1.0p64); }
  double uniform() override { return value_; }
  void set(double value) { value_ = value; }

 private:
  double value_;
};

// Answers from a script; once the script is used up, 200 with the consumer's body.
class scripted_sender final : public sender {
 public:
  std::deque<send_result> script;
  std::vector<std::string> bodies;                             // every request, in order
  std::function<void(std::size_t request_number)> on_request;  // before answering

  send_result send(std::string_view json_body, std::chrono::milliseconds timeout) override {
    bodies.emplace_back(json_body);
    timeouts.push_back(timeout);
    if (on_request) on_request(bodies.size());
    if (script.empty()) {
      send_result ok;
      ok.http_status = 200;
      ok.body = R"({"status_code":"200","accepted":)" + std::to_string(ids_in(json_body).size()) +
                R"(,"duplicates":0})";
      return ok;
    }
    auto next = std::move(script.front());
    script.pop_front();
    return next;
  }

  std::vector<std::chrono::milliseconds> timeouts;

  static std::vector<std::string> ids_in(std::string_view json_body) {
    std::vector<std::string> ids;
    const auto parsed = boost::json::parse(json_body);
    for (const auto& e : parsed.as_array())
      ids.emplace_back(e.as_object().at("event_id").as_string());
    return ids;
  }
};

inline send_result answer(long status, std::string body = {},
                          std::optional<std::string> retry_after = {}) {
  send_result r;
  r.http_status = status;
  r.body = std::move(body);
  r.retry_after = std::move(retry_after);
  if (status == 0) r.error = "Couldn't connect to server";
  return r;
}

}  // namespace evs::propagator::testing
