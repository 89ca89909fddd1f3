// Micro-benchmarks of the pure parts on the hot paths: validation, event JSON, JWT checks, the
// metrics a request counts, and the propagator's request body.
#include "auth/token_minter.hpp"
#include "auth/token_verifier.hpp"
#include "consumer/metrics.hpp"
#include "core/event_json.hpp"
#include "core/validation.hpp"
#include "propagator/batch_body.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <string>
#include <vector>

namespace {

std::string batch_body(int events) {
  std::string body = "[";
  for (int i = 0; i < events; ++i) {
    if (i != 0) body += ",";
    body += R"({"event_type":"message","event_payload":{"user":"ada","text":"hello there, )" +
            std::to_string(i) + R"(","room":"general"},"event_id":"id-)" + std::to_string(i) +
            R"("})";
  }
  return body + "]";
}

void validate_batch(benchmark::State& state) {
  const auto body = batch_body(static_cast<int>(state.range(0)));
  const evs::core::validation_limits limits;
  for (auto _ : state) {
    auto parsed = evs::core::parse_event_batch(body, limits);
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body.size()));
}
BENCHMARK(validate_batch)->Arg(1)->Arg(10)->Arg(100);

void event_to_json(benchmark::State& state) {
  const evs::core::stored_event event{42,
                                      "0190a5f0-7c1e-7d3a-9f00-123456789abc",
                                      "message",
                                      R"({"user":"ada","text":"hello there","room":"general"})",
                                      "2024-05-01T12:00:00Z",
                                      1714564800000000};
  for (auto _ : state) {
    auto text = evs::core::event_json(event);
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(event_to_json);

// The propagator's burst mode sends 1000 spooled events per request.
void propagator_batch_body(benchmark::State& state) {
  std::vector<evs::propagator::spooled_event> events;
  for (std::int64_t i = 0; i < state.range(0); ++i)
    events.push_back({i + 1, "0190a5f0-7c1e-7d3a-9f00-" + std::to_string(100000000000 + i),
                      "message", R"({"user":"ada","text":"hello there","room":"general"})",
                      "2024-05-01T12:00:00.123456Z", 0});
  for (auto _ : state) {
    auto body = evs::propagator::make_batch_body(events, std::size_t{1} << 20);
    benchmark::DoNotOptimize(body);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(propagator_batch_body)->Arg(1000);

void verify_token(benchmark::State& state) {
  const std::string secret = "benchmark-secret";
  const auto token =
      evs::auth::mint_token({"bench", "events:write", 1'700'000'000, 3600, {}, {}, {}}, secret,
                            evs::auth::jwt_algorithm::hs256);
  const evs::auth::token_verifier verifier{secret, evs::auth::jwt_algorithm::hs256};
  const std::string header = "Bearer " + token;
  for (auto _ : state) {
    auto verified = verifier.verify_header(header, 1'700'000'100);
    benchmark::DoNotOptimize(verified);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(verify_token);

// Everything /metrics adds to one answered single-event request: the two clock reads around it
// and the counts into the I/O thread's slot (what event_api and the session do per request).
void metrics_per_request(benchmark::State& state) {
  evs::metrics::per_thread<evs::consumer::request_counters> counters{2};
  for (auto _ : state) {
    const auto started = std::chrono::steady_clock::now();
    auto& local = counters.local();
    local.events_accepted.add(1);
    local.events_duplicate.add(0);
    local.count_answer(evs::consumer::endpoint::ingest, 200, 96,
                       std::chrono::steady_clock::now() - started);
  }
  benchmark::DoNotOptimize(counters.all().data());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(metrics_per_request);

}  // namespace
