#include "jetstream/event_message.hpp"

#include <gtest/gtest.h>

namespace evs::jetstream {
namespace {

core::new_event sample() {
  return {"e-1", "page_view", R"({"path":"/a","n":[1,2.5,"x"]})", "2024-05-01T10:00:00Z",
          1'714'557'600'123'456};
}

TEST(EventMessage, RoundTripKeepsEveryField) {
  const auto e = sample();
  const auto back = event_from_message(message_body(e), std::to_string(e.received_at_us));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->event_id, e.event_id);
  EXPECT_EQ(back->event_type, e.event_type);
  EXPECT_EQ(back->payload_json, e.payload_json);
  EXPECT_EQ(back->occurred_at, e.occurred_at);
  EXPECT_EQ(back->received_at_us, e.received_at_us);
}

TEST(EventMessage, StringPayloadStaysAStringAndNoOccurredAtStaysAbsent) {
  auto e = sample();
  e.payload_json = R"("just text \"quoted\"")";
  e.occurred_at.reset();
  const auto back = event_from_message(message_body(e), "7");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->payload_json, e.payload_json);
  EXPECT_FALSE(back->occurred_at);
}

TEST(EventMessage, PayloadOverTheConsumerDefaultLimitStillLoads) {
  auto e = sample();
  e.payload_json = "\"" + std::string(200 * 1024, 'x') + "\"";
  EXPECT_TRUE(event_from_message(message_body(e), "1"));
}

TEST(EventMessage, RefusesWhatTheConsumerDidNotWrite) {
  const auto body = message_body(sample());
  EXPECT_FALSE(event_from_message(body, ""));
  EXPECT_FALSE(event_from_message(body, "12x"));
  EXPECT_FALSE(event_from_message("not json", "1"));
  EXPECT_FALSE(event_from_message(R"({"event_type":"t","event_payload":1})", "1"));  // no id
  EXPECT_FALSE(event_from_message(R"([{"event_id":"a","event_type":"t","event_payload":1}])", "1"));
}

}  // namespace
}  // namespace evs::jetstream
