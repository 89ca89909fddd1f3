// The raw store, called directly (no HTTP): the reference that the consumer's ingest rate is
// compared with. Same durability settings as the service. Prints one JSON line.
#include "core/uuid.hpp"
#include "storage/mariadb/mariadb_url.hpp"
#include "storage/store_factory.hpp"

#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

int main(int argc, char** argv) {
  CLI::App app{"store_bench: events/s of event_store::insert with a given batch size"};
  std::string backend = "sqlite";
  std::string target;
  std::size_t batch = 100;
  double seconds = 5;
  std::size_t writers = 1;
  std::string dialect = "auto";
  app.add_option("--backend", backend, "sqlite, postgres or mariadb");
  app.add_option("--target", target, "SQLite file, PostgreSQL URL or mysql:// URL")->required();
  app.add_option("--batch", batch, "events per transaction");
  app.add_option("--seconds", seconds, "how long to run");
  app.add_option("--writers", writers,
                 "threads inserting at once (PostgreSQL, MariaDB: one per writer connection)");
  app.add_option("--dialect", dialect,
                 "MariaDB: the dialect of the new database (auto, native or portable: the path "
                 "MySQL 8 gets); the database must not hold events yet")
      ->check(CLI::IsMember({"auto", "native", "portable"}));
  CLI11_PARSE(app, argc, argv);

  evs::storage::storage_config config;
  if (backend == "sqlite") {
    std::filesystem::remove(target);
    config = evs::storage::sqlite_config{target, 1};
  } else if (backend == "mariadb") {
    auto mariadb = evs::storage::mariadb::mariadb_from_url(target);
    mariadb.write_connections = writers;
    mariadb.read_connections = 1;
    if (dialect != "auto")
      mariadb.dialect = dialect == "native" ? evs::storage::mariadb_dialect::native
                                            : evs::storage::mariadb_dialect::portable;
    config = mariadb;
  } else {
    auto pg = evs::storage::postgres_from_url(target);
    pg.write_connections = writers;
    pg.read_connections = 1;
    config = pg;
  }
  const auto store = evs::storage::open_event_store(config);

  std::atomic<std::size_t> total{0};
  std::atomic<bool> failed{false};
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  auto writer = [&](std::uint64_t seed) {
    std::vector<evs::core::new_event> events(batch);
    std::mt19937_64 rng{seed};
    std::int64_t n = 0;
    while (!failed && std::chrono::steady_clock::now() < deadline) {
      for (auto& e : events) {
        const auto random_a = rng();
        e.event_id = evs::core::make_uuid_v7(1'700'000'000'000 + n++, random_a, rng());
        e.event_type = "message";
        e.payload_json = R"({"user":"ada","text":"hello there","room":"general"})";
        e.received_at_us = 1'700'000'000'000'000;
      }
      const auto outcome = store->insert(events);
      if (!outcome) {
        std::fprintf(stderr, "insert failed: %s\n", outcome.error().message().c_str());
        failed = true;
        return;
      }
      total += batch;
    }
  };
  {
    std::vector<std::jthread> threads;
    for (std::size_t i = 0; i < std::max<std::size_t>(1, writers); ++i)
      threads.emplace_back(writer, 42 + i);
  }
  if (failed) return 1;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The dialect a MariaDB store was asked for; the database decides, so ask only of a new one.
  const std::string dialect_field =
      backend == "mariadb" && dialect != "auto" ? ",\"dialect\":\"" + dialect + "\"" : "";
  std::printf(
      "{\"backend\":\"%s\"%s,\"batch\":%zu,\"writers\":%zu,\"events\":%zu,\"seconds\":%.3f,"
      "\"events_"
      "per_s\":%.0f}\n",
      backend.c_str(), dialect_field.c_str(), batch, writers, total.load(), elapsed,
      static_cast<double>(total.load()) / elapsed);
  return 0;
}
