// The raw store, called directly (no HTTP): the reference that the consumer's ingest rate is
// compared with. Same durability settings as the service. Prints one JSON line.
#include "core/uuid.hpp"
#include "storage/store_factory.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

int main(int argc, char** argv) {
  CLI::App app{"store_bench: events/s of event_store::insert with a given batch size"};
  std::string backend = "sqlite";
  std::string target;
  std::size_t batch = 100;
  double seconds = 5;
  app.add_option("--backend", backend, "sqlite or postgres");
  app.add_option("--target", target, "SQLite file or PostgreSQL URL")->required();
  app.add_option("--batch", batch, "events per transaction");
  app.add_option("--seconds", seconds, "how long to run");
  CLI11_PARSE(app, argc, argv);

  evs::storage::storage_config config;
  if (backend == "sqlite") {
    std::filesystem::remove(target);
    config = evs::storage::sqlite_config{target, 1};
  } else {
    config = evs::storage::postgres_config{target, 1, 1};
  }
  const auto store = evs::storage::open_event_store(config);

  std::vector<evs::core::new_event> events(batch);
  std::size_t total = 0;
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  std::mt19937_64 rng{42};
  while (std::chrono::steady_clock::now() < deadline) {
    for (auto& e : events) {
      e.event_id = evs::core::make_uuid_v7(1'700'000'000'000 + static_cast<std::int64_t>(total), rng);
      e.event_type = "message";
      e.payload_json = R"({"user":"ada","text":"hello there","room":"general"})";
      e.received_at_us = 1'700'000'000'000'000;
    }
    const auto outcome = store->insert(events);
    if (!outcome) {
      std::fprintf(stderr, "insert failed: %s\n", outcome.error().message().c_str());
      return 1;
    }
    total += batch;
  }
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("{\"backend\":\"%s\",\"batch\":%zu,\"events\":%zu,\"seconds\":%.3f,\"events_per_s\":%.0f}\n",
              backend.c_str(), batch, total, elapsed, static_cast<double>(total) / elapsed);
  return 0;
}
