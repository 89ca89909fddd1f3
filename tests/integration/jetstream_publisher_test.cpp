// The consumer's publisher and the ingest store in-process, on the cluster of scripts/with-nats:
// what each event's PubAck means for the request's answer, from several threads at once (also
// run under ThreadSanitizer).
#include "jetstream/ingest_store.hpp"
#include "jetstream/nats_connection.hpp"
#include "jetstream/publisher.hpp"
#include "jetstream/stream_setup.hpp"
#include "storage/store_factory.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace evs::jetstream {
namespace {

jetstream_config cluster_config(const std::string& stream) {
  const char* url = std::getenv("NATS_URL");
  if (!url || !*url) throw std::runtime_error("NATS_URL is not set: run under scripts/with-nats");
  jetstream_config config;
  config.servers = split_nats_url(url);
  config.stream = stream;
  config.subject = "evs-test." + stream;
  config.timeout = std::chrono::seconds{10};
  return config;
}

std::vector<core::new_event> events(const std::vector<std::string>& ids) {
  std::vector<core::new_event> out;
  for (const auto& id : ids) out.push_back({id, "t", R"({"id":")" + id + R"("})", std::nullopt, 1});
  return out;
}

TEST(JetstreamPublisher, NewEventsGetSequencesRepeatsAreDuplicates) {
  const auto config = cluster_config("PUBLISHER");
  const auto connection = connect(config);
  ensure_stream(*open_context(*connection, config), config);
  publisher pub{*connection, config, 2};

  const auto first = pub.publish(events({"p-1", "p-2", "p-1"}));
  ASSERT_TRUE(first) << first.error().message();
  ASSERT_EQ(first->size(), 3u);
  ASSERT_TRUE((*first)[0] && (*first)[1]);
  EXPECT_LT(*(*first)[0], *(*first)[1]);  // stream order is request order
  EXPECT_FALSE((*first)[2]) << "a repeat within the request is a duplicate";

  // Sent again (a client's retry): the stream's duplicate window answers Duplicate.
  const auto again = pub.publish(events({"p-2", "p-3"}));
  ASSERT_TRUE(again);
  EXPECT_FALSE((*again)[0]);
  EXPECT_TRUE((*again)[1]);
  EXPECT_TRUE(pub.ping());
}

TEST(JetstreamPublisher, ConcurrentGroupsEachGetTheirOwnAcks) {
  const auto config = cluster_config("PUBLISHER_MT");
  const auto connection = connect(config);
  ensure_stream(*open_context(*connection, config), config);
  publisher pub{*connection, config, 3};
  constexpr std::size_t threads = 4;
  constexpr std::size_t groups = 20;
  std::vector<std::thread> workers;
  std::vector<std::set<std::int64_t>> sequences(threads);
  std::vector<int> failures(threads, 0);
  for (std::size_t t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      for (std::size_t g = 0; g < groups; ++g) {
        std::vector<std::string> ids;
        for (int i = 0; i < 50; ++i)
          ids.push_back("mt-" + std::to_string(t) + "-" + std::to_string(g) + "-" +
                        std::to_string(i));
        const auto outcome = pub.publish(events(ids));
        if (!outcome) {
          ++failures[t];
          continue;
        }
        for (const auto& seq : *outcome)
          if (seq)
            sequences[t].insert(*seq);
          else
            ++failures[t];
      }
    });
  for (auto& w : workers) w.join();
  std::set<std::int64_t> all;
  for (std::size_t t = 0; t < threads; ++t) {
    EXPECT_EQ(failures[t], 0) << "thread " << t;
    EXPECT_EQ(sequences[t].size(), groups * 50);
    all.insert(sequences[t].begin(), sequences[t].end());
  }
  EXPECT_EQ(all.size(), threads * groups * 50) << "two events acknowledged with one sequence";
}

TEST(JetstreamIngestStore, ReadsGoToTheDatabaseWritesToTheStream) {
  const auto config = cluster_config("INGEST_STORE");
  const test::temp_dir dir{"evs-js-ingest"};
  auto reads = storage::open_event_store(storage::sqlite_config{(dir / "reads.db").string(), 1});
  auto* database = reads.get();
  ingest_store store{std::move(reads), config, 2};
  ASSERT_TRUE(store.insert(events({"is-1"})));
  // Published, not stored: the loader's job.
  EXPECT_FALSE(database->get_by_event_id("is-1"));
  EXPECT_FALSE(store.get_by_event_id("is-1"));
  EXPECT_TRUE(store.ping());
  EXPECT_EQ(store.max_concurrent_writers(), 2u);
}

}  // namespace
}  // namespace evs::jetstream
