#include "core/event_json.hpp"

#include <gtest/gtest.h>

namespace evs::core {
namespace {

TEST(EventJson, StoredEventCarriesIdAndReceivedAtAroundTheSentFields) {
  stored_event e;
  e.id = 42;
  e.event_id = "m-1";
  e.event_type = "message";
  e.payload_json = R"({"text":"1.50 \"quoted\""})";
  e.occurred_at = "2024-05-01T12:30:00Z";
  e.received_at_us = 1'714'566'600'123'456;
  EXPECT_EQ(event_json(e),
            R"({"id":42,"event_id":"m-1","event_type":"message",)"
            R"("event_payload":{"text":"1.50 \"quoted\""},"occurred_at":"2024-05-01T12:30:00Z",)"
            R"("received_at":"2024-05-01T12:30:00.123456Z"})");
}

TEST(EventJson, AMissingOccurredAtIsNull) {
  stored_event e;
  e.id = 1;
  e.event_id = "x";
  e.event_type = "t";
  e.payload_json = R"("text")";
  EXPECT_NE(event_json(e).find(R"("occurred_at":null)"), std::string::npos) << event_json(e);
}

TEST(EventJson, ASentEventHasNoIdAndNoReceivedAt) {
  std::string out = "[";
  append_event_json(out, event_fields{"e\"1", "type\n", "[1,2]", "2024-05-01T12:30:00Z"});
  out += ']';
  EXPECT_EQ(out, R"([{"event_id":"e\"1","event_type":"type\n","event_payload":[1,2],)"
                 R"("occurred_at":"2024-05-01T12:30:00Z"}])");
}

TEST(EventJson, MembersLeaveRoomForMore) {
  std::string out = "{";
  append_event_members(out, event_fields{"a", "b", "null", std::nullopt});
  out += ",\"status\":422}";
  EXPECT_EQ(out, R"({"event_id":"a","event_type":"b","event_payload":null,)"
                 R"("occurred_at":null,"status":422})");
}

}  // namespace
}  // namespace evs::core
