#include "propagator/event_source.hpp"

#include "core/validation.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

namespace evs::propagator {
namespace {

TEST(BundledEvents, AreAllValidEvents) {
  core::validation_limits limits;
  const auto parsed = core::parse_event_batch(bundled_events_json(), limits);
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_GE(parsed.events.size(), 20U);
  std::set<std::string> types;
  for (const auto& e : parsed.events) types.insert(e.event_type);
  EXPECT_TRUE(types.contains("message"));
  EXPECT_TRUE(types.contains("user_joined"));
  EXPECT_TRUE(types.contains("user_left"));
}

TEST(BundledEvents, LoadAsTemplates) {
  const auto templates = load_templates("");
  ASSERT_FALSE(templates.empty());
  EXPECT_EQ(templates.front().event_type, "message");
  EXPECT_EQ(templates.front().payload_json, "\"Hello everyone!\"");
}

TEST(ParseTemplates, JsonArray) {
  const auto t = parse_templates(
      R"([{"event_type":"a","event_payload":"x"},{"event_type":"b","event_payload":{"k":[1,2]}}])");
  ASSERT_EQ(t.size(), 2U);
  EXPECT_EQ(t[0].event_type, "a");
  EXPECT_EQ(t[0].payload_json, "\"x\"");
  EXPECT_EQ(t[1].payload_json, R"({"k":[1,2]})");
}

TEST(ParseTemplates, NdjsonAndSingleObject) {
  const auto t = parse_templates(
      "{\"event_type\":\"a\",\"event_payload\":\"x\"}\n\n"
      "{\"event_type\":\"b\",\"event_payload\":[1]}\r\n");
  ASSERT_EQ(t.size(), 2U);
  EXPECT_EQ(t[1].event_type, "b");
  const auto one = parse_templates("{\n  \"event_type\": \"a\",\n  \"event_payload\": \"x\"\n}\n");
  EXPECT_EQ(one.size(), 1U);
}

TEST(ParseTemplates, IgnoresIdsAndTimestamps) {
  const auto t = parse_templates(
      R"([{"event_type":"a","event_payload":"x","event_id":"fixed","occurred_at":"nonsense"}])");
  ASSERT_EQ(t.size(), 1U);
  EXPECT_EQ(t[0].event_type, "a");
}

TEST(ParseTemplates, RefusesInvalidTemplatesNamingTheSetting) {
  const auto message = [](std::string_view text) {
    try {
      parse_templates(text);
    } catch (const runtime::config_error& e) {
      return std::string{e.what()};
    }
    return std::string{"no error"};
  };
  EXPECT_EQ(message("[]"), "EVENTS_FILE: contains no event templates");
  EXPECT_NE(message(R"([{"event_payload":"x"}])").find("EVENTS_FILE: entry 1, event_type"),
            std::string::npos);
  EXPECT_NE(
      message(R"([{"event_type":"a","event_payload":"x"},{"event_type":""}])").find("entry 2"),
      std::string::npos);
  EXPECT_NE(message("{\"event_type\":\"a\",\"event_payload\":\"x\"}\nnot json\n").find("line 2"),
            std::string::npos);
  EXPECT_NE(message("42").find("EVENTS_FILE"), std::string::npos);
}

TEST(LoadTemplates, ReadsAFileAndNamesAMissingOne) {
  test::temp_dir dir;
  const auto path = (dir / "events.json").string();
  std::ofstream{path} << R"([{"event_type":"ping","event_payload":"pong"}])";
  EXPECT_EQ(load_templates(path).size(), 1U);
  EXPECT_THROW(load_templates((dir / "missing.json").string()), runtime::config_error);
}

TEST(EventSource, SequentialGoesRoundInFileOrder) {
  event_source source{{{"a", "1"}, {"b", "2"}, {"c", "3"}}, pick_order::sequential, 1};
  std::string seen;
  for (int i = 0; i < 7; ++i) seen += source.next().event_type;
  EXPECT_EQ(seen, "abcabca");
}

TEST(EventSource, RandomPicksEveryTemplateEventually) {
  event_source source{{{"a", "1"}, {"b", "2"}, {"c", "3"}}, pick_order::random, 42};
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) seen.insert(source.next().event_type);
  EXPECT_EQ(seen.size(), 3U);
}

}  // namespace
}  // namespace evs::propagator
