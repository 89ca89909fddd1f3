// DB_READ_URL: the real event-consumer writes to the primary and lists events from a streaming
// standby. With the standby's replay paused, a new event is missing from its listings (so they
// do come from the standby) but found by id (a lookup the standby cannot answer goes to the
// primary); once replay resumes the listing shows it; with the standby stopped, the primary
// serves the reads.
#include "pg_standby_pair.hpp"
#include "support/consumer_process.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/tokens.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace evs::test {
namespace {

using namespace std::chrono_literals;

// The event_ids a listing of `event_type` shows, in order; empty on any error.
std::vector<std::string> listed(std::uint16_t port, const std::string& event_type) {
  const auto r = http_once(port, "GET", "/api/events?event_type=" + event_type, {},
                           {{"Authorization", bearer(make_token("events:read"))}});
  if (r.status != 200U) return {};
  const auto page = r.json();
  std::vector<std::string> ids;
  for (const auto& e : page.at("items").as_array()) ids.emplace_back(e.at("event_id").as_string());
  return ids;
}

TEST(PostgresReadStandby, ListingsComeFromTheStandbyAndLookupsReadYourWrites) {
  const pg_standby_pair pair{replication::asynchronous};
  const temp_dir dir{"evs-pg-read-standby"};
  consumer_process consumer{EVS_CONSUMER_BINARY,
                            dir / "consumer.log",
                            {{"DATABASE_URL", pair.url_of(pair.primary_port())},
                             {"DB_READ_URL", pair.url_of(pair.standby_port())}}};
  const auto port = consumer.wait_listening(60s);
  const header_list auth{{"Authorization", bearer(make_token("events:write events:read"))}};
  const std::string type = "standby.read";
  const auto create = [&](const std::string& event_id) {
    return http_once(
        port, "POST", "/api/events",
        R"({"event_type":")" + type + R"(","event_id":")" + event_id + R"(","event_payload":"x"})",
        auth);
  };

  ASSERT_EQ(create("first").status, 201U) << consumer.log();
  ASSERT_TRUE(eventually([&] { return listed(port, type) == std::vector<std::string>{"first"}; }))
      << "the standby never showed the first event:\n"
      << consumer.log();

  pair.sql(pair.standby_port(), "SELECT pg_wal_replay_pause()");
  ASSERT_TRUE(eventually([&] {
    return pair.sql(pair.standby_port(), "SELECT pg_get_wal_replay_pause_state()") == "paused\n";
  }));
  const auto second = create("second");
  ASSERT_EQ(second.status, 201U) << second.body;
  const auto second_id = second.json().at("id").as_int64();

  EXPECT_EQ(listed(port, type), std::vector<std::string>{"first"})
      << "the listing came from the primary, not the paused standby";
  const auto by_id = http_once(port, "GET", "/api/events/" + std::to_string(second_id), {}, auth);
  EXPECT_EQ(by_id.status, 200U) << "a lookup the standby cannot answer yet goes to the primary: "
                                << by_id.body;
  const auto again = create("second");
  EXPECT_EQ(again.status, 200U) << "a repeated create answers with the stored event: "
                                << again.body;

  pair.sql(pair.standby_port(), "SELECT pg_wal_replay_resume()");
  EXPECT_TRUE(eventually([&] {
    return listed(port, type) == std::vector<std::string>{"first", "second"};
  })) << "the standby did not catch up";

  pair.standby().stop_now();
  EXPECT_EQ(listed(port, type), (std::vector<std::string>{"first", "second"}))
      << "with the standby down, the primary serves the listing:\n"
      << consumer.log();
  EXPECT_TRUE(consumer.process().running());
}

}  // namespace
}  // namespace evs::test
