#include "propagator/batch_body.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace evs::propagator {
namespace {

namespace json = boost::json;

std::vector<spooled_event> events(std::size_t n) {
  std::vector<spooled_event> out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back({static_cast<std::int64_t>(i + 1), "id-" + std::to_string(i), "message",
                   R"("hello \"world\" )" + std::to_string(i) + "\"", "2024-05-01T12:30:00Z", 0});
  }
  return out;
}

TEST(MakeBatchBody, IsAJsonArrayOfEventsInOrder) {
  auto e = events(3);
  e[1].payload_json = R"({"user":"alice","n":[1,2.5,null]})";
  const auto body = make_batch_body(e, 1 << 20);
  EXPECT_EQ(body.count, 3U);
  const auto v = json::parse(body.json);
  ASSERT_TRUE(v.is_array());
  ASSERT_EQ(v.as_array().size(), 3U);
  const auto& second = v.as_array()[1].as_object();
  EXPECT_EQ(second.at("event_id").as_string(), "id-1");
  EXPECT_EQ(second.at("event_type").as_string(), "message");
  EXPECT_EQ(second.at("event_payload").as_object().at("user").as_string(), "alice");
  EXPECT_EQ(second.at("occurred_at").as_string(), "2024-05-01T12:30:00Z");
  EXPECT_EQ(v.as_array()[0].as_object().at("event_payload").as_string(), "hello \"world\" 0");
}

TEST(MakeBatchBody, StopsBeforeTheByteLimit) {
  const auto e = events(100);
  const auto whole = make_batch_body(e, 1 << 20);
  const auto cut = make_batch_body(e, whole.json.size() / 2);
  EXPECT_GT(cut.count, 10U);
  EXPECT_LT(cut.count, 100U);
  EXPECT_LE(cut.json.size(), whole.json.size() / 2);
  EXPECT_EQ(json::parse(cut.json).as_array().size(), cut.count);
}

TEST(MakeBatchBody, AlwaysCarriesOneEvent) {
  const auto e = events(2);
  const auto body = make_batch_body(e, 10);
  EXPECT_EQ(body.count, 1U);
  EXPECT_EQ(json::parse(body.json).as_array().size(), 1U);
}

TEST(ReportedDuplicates, ReadsTheConsumerAnswer) {
  EXPECT_EQ(reported_duplicates(R"({"status_code":"200","accepted":3,"duplicates":2})"), 2U);
  EXPECT_EQ(reported_duplicates(R"({"status_code":"200"})"), std::nullopt);
  EXPECT_EQ(reported_duplicates("OK"), std::nullopt);
  EXPECT_EQ(reported_duplicates(""), std::nullopt);
}

TEST(RejectedPositions, ListsTheBlamedEvents) {
  const auto body = R"({"detail":[
    {"loc":["body",3,"event_type"],"msg":"Field required","type":"missing"},
    {"loc":["body",1,"event_payload"],"msg":"too large","type":"too_long"},
    {"loc":["body",3,"event_payload"],"msg":"Field required","type":"missing"}]})";
  EXPECT_EQ(rejected_positions(body, 5), (std::vector<std::size_t>{1, 3}));
}

TEST(RejectedPositions, BlamesEverythingWhenUnsure) {
  EXPECT_TRUE(
      rejected_positions(R"({"detail":[{"loc":["body"],"msg":"x","type":"y"}]})", 5).empty());
  EXPECT_TRUE(
      rejected_positions(R"({"detail":[{"loc":["body",9],"msg":"x","type":"y"}]})", 5).empty());
  EXPECT_TRUE(rejected_positions(R"({"detail":"Unprocessable"})", 5).empty());
  EXPECT_TRUE(rejected_positions("not json", 5).empty());
  EXPECT_TRUE(rejected_positions(R"({"detail":[{"loc":["body",1]},{"msg":"?"}]})", 5).empty());
}

TEST(MakeBatchBody, ABodyOfExactlyTheLimitFits) {
  const auto e = events(5);
  const auto whole = make_batch_body(e, 1 << 20);
  EXPECT_EQ(make_batch_body(e, whole.json.size()).count, 5U);
  const auto one_short = make_batch_body(e, whole.json.size() - 1);
  EXPECT_EQ(one_short.count, 4U);
  EXPECT_EQ(one_short.json.back(), ']');
  EXPECT_EQ(json::parse(one_short.json).as_array().size(), 4U);
}

}  // namespace
}  // namespace evs::propagator
