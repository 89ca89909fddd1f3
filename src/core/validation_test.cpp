#include "core/validation.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <utility>
#include <vector>

namespace evs::core {
namespace {

namespace json = boost::json;

const validation_limits defaults{};

// Each error as (loc as JSON text, type): easy to compare and to read in a failure message.
std::vector<std::pair<std::string, std::string>> summary(const std::vector<field_error>& errors) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : errors) out.emplace_back(json::serialize(e.loc), e.type);
  return out;
}

using summary_t = std::vector<std::pair<std::string, std::string>>;

std::string repeat(std::string_view unit, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += unit;
  return out;
}

// {"event_type":<type>,"event_payload":"p"} with the type given as JSON text.
std::string event_with_type(std::string_view type_json) {
  return R"({"event_type":)" + std::string{type_json} + R"(,"event_payload":"p"})";
}

std::string event_with_payload(std::string_view payload_json) {
  return R"({"event_type":"t","event_payload":)" + std::string{payload_json} + "}";
}

std::string event_with_id(std::string_view id_json) {
  return R"({"event_type":"t","event_payload":"p","event_id":)" + std::string{id_json} + "}";
}

// --- a valid event ------------------------------------------------------------------------

TEST(ValidationTest, SingleObjectIsOneEvent) {
  const auto r = parse_event_batch(R"({"event_type":"click","event_payload":"hello"})", defaults);
  ASSERT_TRUE(r.errors.empty());
  EXPECT_FALSE(r.too_many);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].event_type, "click");
  EXPECT_EQ(r.events[0].payload_json, R"("hello")");
  EXPECT_EQ(r.events[0].event_id, "") << "the server assigns an id when none is sent";
  EXPECT_FALSE(r.events[0].occurred_at.has_value());
}

TEST(ValidationTest, ArrayKeepsOrderAndAllFields) {
  const auto r = parse_event_batch(
      R"([{"event_type":"a","event_payload":"1","event_id":"id-1",
           "occurred_at":"2024-05-01T12:30:00+02:00"},
          {"event_type":"b","event_payload":{"k":1}},
          {"event_type":"c","event_payload":[1,2]}])",
      defaults);
  ASSERT_TRUE(r.errors.empty()) << json::serialize(r.errors.front().loc);
  ASSERT_EQ(r.events.size(), 3u);
  EXPECT_EQ(r.events[0].event_type, "a");
  EXPECT_EQ(r.events[0].event_id, "id-1");
  EXPECT_EQ(r.events[0].occurred_at, "2024-05-01T12:30:00+02:00") << "kept as sent";
  EXPECT_EQ(r.events[1].event_type, "b");
  EXPECT_EQ(r.events[1].payload_json, R"({"k":1})");
  EXPECT_EQ(r.events[2].event_type, "c");
  EXPECT_EQ(r.events[2].payload_json, "[1,2]");
}

TEST(ValidationTest, UnknownFieldsAreIgnored) {
  const auto r = parse_event_batch(
      R"({"event_type":"t","event_payload":"p","colour":"red","nested":{"x":[1]},"id":5})",
      defaults);
  ASSERT_TRUE(r.errors.empty());
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].event_type, "t");
}

TEST(ValidationTest, NullEventIdMeansAbsent) {
  const auto r = parse_event_batch(event_with_id("null"), defaults);
  ASSERT_TRUE(r.errors.empty());
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].event_id, "");
}

TEST(ValidationTest, NullOccurredAtMeansAbsent) {
  const auto r =
      parse_event_batch(R"({"event_type":"t","event_payload":"p","occurred_at":null})", defaults);
  ASSERT_TRUE(r.errors.empty());
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_FALSE(r.events[0].occurred_at.has_value());
}

// --- required fields -------------------------------------------------------------------------

TEST(ValidationTest, MissingFieldsOfASingleObjectHaveBodyFieldLocations) {
  const auto r = parse_event_batch("{}", defaults);
  EXPECT_TRUE(r.events.empty());
  EXPECT_EQ(summary(r.errors), (summary_t{{R"(["body","event_type"])", "missing"},
                                          {R"(["body","event_payload"])", "missing"}}));
  for (const auto& e : r.errors) EXPECT_EQ(e.msg, "Field required");
}

TEST(ValidationTest, EveryProblemOfEveryItemIsReportedAtOnce) {
  const auto r = parse_event_batch(
      R"([{"event_type":"ok","event_payload":"fine"},
          {"event_type":"","event_payload":"p"},
          {"event_type":5,"event_payload":1,"event_id":"","occurred_at":"yesterday"},
          "not an object",
          {"event_payload":"p"}])",
      defaults);
  EXPECT_TRUE(r.events.empty()) << "all or nothing: one bad event rejects the batch";
  EXPECT_FALSE(r.too_many);
  EXPECT_EQ(summary(r.errors), (summary_t{
                                   {R"(["body",1,"event_type"])", "string_too_short"},
                                   {R"(["body",2,"event_type"])", "string_type"},
                                   {R"(["body",2,"event_payload"])", "payload_type"},
                                   {R"(["body",2,"event_id"])", "event_id_format"},
                                   {R"(["body",2,"occurred_at"])", "datetime_parsing"},
                                   {R"(["body",3])", "model_attributes_type"},
                                   {R"(["body",4,"event_type"])", "missing"},
                               }));
  for (const auto& e : r.errors) EXPECT_FALSE(e.msg.empty()) << json::serialize(e.loc);
}

TEST(ValidationTest, ErrorLocationIndexIsAJsonNumber) {
  const auto r = parse_event_batch(R"([{"event_type":"t","event_payload":"p"},{}])", defaults);
  ASSERT_FALSE(r.errors.empty());
  const auto& loc = r.errors[0].loc;
  ASSERT_EQ(loc.size(), 3u);
  EXPECT_EQ(loc[0], "body");
  EXPECT_TRUE(loc[1].is_number());
  EXPECT_EQ(loc[1].to_number<int>(), 1);
  EXPECT_EQ(loc[2], "event_type");
}

// --- event_type -------------------------------------------------------------------------------

TEST(ValidationTest, EventTypeMustBeAString) {
  for (const char* bad : {"null", "5", "true", R"(["a"])", R"({"a":1})"}) {
    const auto r = parse_event_batch(event_with_type(bad), defaults);
    EXPECT_EQ(summary(r.errors), (summary_t{{R"(["body","event_type"])", "string_type"}})) << bad;
    EXPECT_TRUE(r.events.empty());
  }
}

TEST(ValidationTest, EventTypeLengthIsOneTo255Characters) {
  const auto empty = parse_event_batch(event_with_type(R"("")"), defaults);
  EXPECT_EQ(summary(empty.errors), (summary_t{{R"(["body","event_type"])", "string_too_short"}}));

  const auto one = parse_event_batch(event_with_type(R"("x")"), defaults);
  EXPECT_TRUE(one.errors.empty());

  const auto longest = parse_event_batch(event_with_type('"' + repeat("x", 255) + '"'), defaults);
  ASSERT_TRUE(longest.errors.empty());
  EXPECT_EQ(longest.events.at(0).event_type.size(), 255u);

  const auto too_long = parse_event_batch(event_with_type('"' + repeat("x", 256) + '"'), defaults);
  EXPECT_EQ(summary(too_long.errors), (summary_t{{R"(["body","event_type"])", "string_too_long"}}));
}

TEST(ValidationTest, EventTypeLengthCountsCharactersNotBytes) {
  // "é" is two bytes and "€" three in UTF-8: 255 of them are 255 characters.
  const auto accented = parse_event_batch(event_with_type('"' + repeat("é", 255) + '"'), defaults);
  EXPECT_TRUE(accented.errors.empty());
  const auto euros = parse_event_batch(event_with_type('"' + repeat("€", 255) + '"'), defaults);
  ASSERT_TRUE(euros.errors.empty());
  EXPECT_EQ(euros.events.at(0).event_type, repeat("€", 255));

  const auto escaped =
      parse_event_batch(event_with_type('"' + repeat("\\u00e9", 255) + '"'), defaults);
  EXPECT_TRUE(escaped.errors.empty()) << "an escaped character is one character";

  const auto too_long = parse_event_batch(event_with_type('"' + repeat("é", 256) + '"'), defaults);
  EXPECT_EQ(summary(too_long.errors), (summary_t{{R"(["body","event_type"])", "string_too_long"}}));
}

// --- event_payload ----------------------------------------------------------------------------

TEST(ValidationTest, StringPayloadStaysAQuotedJsonString) {
  const auto r = parse_event_batch(event_with_payload(R"("{\"a\":1}")"), defaults);
  ASSERT_TRUE(r.errors.empty());
  const auto& text = r.events.at(0).payload_json;
  const auto back = json::parse(text);
  ASSERT_TRUE(back.is_string()) << text;
  EXPECT_EQ(back.get_string(), R"({"a":1})") << "a string that looks like JSON is still a string";
}

TEST(ValidationTest, StringPayloadKeepsUnicodeAndEscapes) {
  const std::string original = "caf\xC3\xA9 \xF0\x9F\x98\x80 \"quoted\" back\\slash\nline\ttab\x01";
  const std::string sent = json::serialize(json::value(original));
  const auto r = parse_event_batch(event_with_payload(sent), defaults);
  ASSERT_TRUE(r.errors.empty());
  const auto back = json::parse(r.events.at(0).payload_json);
  ASSERT_TRUE(back.is_string());
  EXPECT_EQ(std::string(back.get_string()), original);

  // \u escapes in the request mean the same characters.
  const auto escaped =
      parse_event_batch(event_with_payload(R"("caf\u00e9 \ud83d\ude00")"), defaults);
  ASSERT_TRUE(escaped.errors.empty());
  EXPECT_EQ(json::parse(escaped.events.at(0).payload_json).get_string(),
            "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

TEST(ValidationTest, ObjectPayloadRoundTripsExactly) {
  const std::string payload =
      R"({"a":1.5,"b":1.0,"c":10,"d":-3,"e":0.1,"f":1e+300,"n":null,"t":true,"f2":false,)"
      R"("s":"x","arr":[1,"two",{"k":[]},{}],"z":{"y":{"x":"deep"}}})";
  const auto r = parse_event_batch(event_with_payload(payload), defaults);
  ASSERT_TRUE(r.errors.empty());
  EXPECT_EQ(r.events.at(0).payload_json, payload);
}

TEST(ValidationTest, PayloadIsStoredAsWrittenNumbersAndSpacingIncluded) {
  // Beyond 64 bits, beyond double range, trailing zeros, negative zero: kept to the byte.
  const std::string payload =
      "[1.5, 1.0, 2.50, -0.0, -0, 100, 12345678901234567890, 18446744073709551617, 1e400]";
  const auto r = parse_event_batch(event_with_payload(payload), defaults);
  ASSERT_TRUE(r.errors.empty());
  EXPECT_EQ(r.events.at(0).payload_json, payload);

  const auto batch = parse_event_batch(
      R"([{"event_type":"a","event_payload": "caf\u00e9" },{"event_type":"b","event_payload":{ "k" : [ ] }}])",
      defaults);
  ASSERT_TRUE(batch.errors.empty());
  EXPECT_EQ(batch.events.at(0).payload_json, R"("caf\u00e9")");
  EXPECT_EQ(batch.events.at(1).payload_json, R"({ "k" : [ ] })");
}

TEST(ValidationTest, UpdatePayloadIsStoredAsWritten) {
  const auto r =
      parse_event_update(R"({"event_payload": {"n": 18446744073709551617}})", false, defaults);
  ASSERT_TRUE(r.errors.empty());
  EXPECT_EQ(r.update.payload_json, R"({"n": 18446744073709551617})");
}

TEST(ValidationTest, PayloadWithUnicodeKeysAndValuesRoundTrips) {
  const std::string payload = "{\"cl\xC3\xA9\":\"\xE2\x82\xAC 5\",\"q\":\"say \\\"hi\\\"\\n\"}";
  const auto r = parse_event_batch(event_with_payload(payload), defaults);
  ASSERT_TRUE(r.errors.empty());
  EXPECT_EQ(json::parse(r.events.at(0).payload_json), json::parse(payload));
}

TEST(ValidationTest, PayloadMustBeStringObjectOrArray) {
  for (const char* bad : {"1", "1.5", "true", "null"}) {
    const auto r = parse_event_batch(event_with_payload(bad), defaults);
    EXPECT_EQ(summary(r.errors), (summary_t{{R"(["body","event_payload"])", "payload_type"}}))
        << bad;
  }
  for (const char* good : {R"("")", "{}", "[]"}) {
    const auto r = parse_event_batch(event_with_payload(good), defaults);
    EXPECT_TRUE(r.errors.empty()) << good;
  }
}

TEST(ValidationTest, PayloadSizeLimitCountsJsonText) {
  validation_limits limits;
  limits.max_payload_bytes = 16;
  // 14 characters + 2 quotes = 16 bytes of JSON text: just fits.
  const auto fits = parse_event_batch(event_with_payload('"' + repeat("x", 14) + '"'), limits);
  EXPECT_TRUE(fits.errors.empty());
  const auto over = parse_event_batch(event_with_payload('"' + repeat("x", 15) + '"'), limits);
  EXPECT_EQ(summary(over.errors),
            (summary_t{{R"(["body","event_payload"])", "payload_too_large"}}));
  EXPECT_NE(over.errors.at(0).msg.find("16"), std::string::npos) << over.errors.at(0).msg;
}

TEST(ValidationTest, DefaultPayloadLimitIs64KiB) {
  const std::size_t limit = 64 * 1024;
  const auto fits =
      parse_event_batch(event_with_payload('"' + repeat("x", limit - 2) + '"'), defaults);
  EXPECT_TRUE(fits.errors.empty());
  const auto over =
      parse_event_batch(event_with_payload('"' + repeat("x", limit - 1) + '"'), defaults);
  EXPECT_EQ(summary(over.errors),
            (summary_t{{R"(["body","event_payload"])", "payload_too_large"}}));
}

TEST(ValidationTest, OversizedPayloadInABatchIsLocatedByIndex) {
  validation_limits limits;
  limits.max_payload_bytes = 10;
  const auto r = parse_event_batch(
      R"([{"event_type":"t","event_payload":"ok"},{"event_type":"t","event_payload":{"big":"0123456789"}}])",
      limits);
  EXPECT_TRUE(r.events.empty());
  EXPECT_EQ(summary(r.errors), (summary_t{{R"(["body",1,"event_payload"])", "payload_too_large"}}));
}

// --- event_id ---------------------------------------------------------------------------------

TEST(ValidationTest, EventIdIsOneTo128PrintableAsciiCharacters) {
  const auto uuid =
      parse_event_batch(event_with_id(R"("0190a6c2-5b1e-7c3d-8e4f-123456789abc")"), defaults);
  ASSERT_TRUE(uuid.errors.empty());
  EXPECT_EQ(uuid.events.at(0).event_id, "0190a6c2-5b1e-7c3d-8e4f-123456789abc");

  EXPECT_TRUE(parse_event_batch(event_with_id(R"("a")"), defaults).errors.empty());
  EXPECT_TRUE(parse_event_batch(event_with_id(R"("~ !#$%&'()*+,-./:;<=>?@[]^_`{|}")"), defaults)
                  .errors.empty());
  EXPECT_TRUE(
      parse_event_batch(event_with_id('"' + repeat("a", 128) + '"'), defaults).errors.empty());

  const std::vector<std::string> bad{R"("")",           '"' + repeat("a", 129) + '"',
                                     R"("tab\there")",  R"("new\nline")",
                                     "\"caf\xC3\xA9\"", R"("nul\u0000")",
                                     R"("del\u007f")"};
  for (const auto& id : bad) {
    const auto r = parse_event_batch(event_with_id(id), defaults);
    EXPECT_EQ(summary(r.errors), (summary_t{{R"(["body","event_id"])", "event_id_format"}})) << id;
    EXPECT_TRUE(r.events.empty());
  }
}

TEST(ValidationTest, EventIdMustBeAString) {
  for (const char* bad : {"42", "true", R"(["a"])", "{}"}) {
    const auto r = parse_event_batch(event_with_id(bad), defaults);
    EXPECT_EQ(summary(r.errors), (summary_t{{R"(["body","event_id"])", "string_type"}})) << bad;
  }
}

// --- occurred_at ------------------------------------------------------------------------------

TEST(ValidationTest, OccurredAtIsRfc3339) {
  for (const char* good : {"2024-05-01T12:30:00Z", "2024-05-01T12:30:00.123456+02:00",
                           "2024-02-29T23:59:59-05:30", "2024-05-01t12:30:00z"}) {
    const auto r = parse_event_batch(
        R"({"event_type":"t","event_payload":"p","occurred_at":")" + std::string{good} + "\"}",
        defaults);
    ASSERT_TRUE(r.errors.empty()) << good;
    EXPECT_EQ(r.events.at(0).occurred_at, good);
  }
  for (const char* bad :
       {R"("2024-02-30T00:00:00Z")", R"("2023-02-29T00:00:00Z")", R"("2024-05-01")",
        R"("2024-05-01T12:30:00")", R"("yesterday")", R"("")", "1714566600", "true", "{}"}) {
    const auto r = parse_event_batch(
        R"({"event_type":"t","event_payload":"p","occurred_at":)" + std::string{bad} + "}",
        defaults);
    EXPECT_EQ(summary(r.errors), (summary_t{{R"(["body","occurred_at"])", "datetime_parsing"}}))
        << bad;
  }
}

// --- the body as a whole ----------------------------------------------------------------------

TEST(ValidationTest, EmptyArrayIsRejected) {
  const auto r = parse_event_batch("[]", defaults);
  EXPECT_TRUE(r.events.empty());
  EXPECT_FALSE(r.too_many) << "an empty array is a 422, not a 413";
  EXPECT_EQ(summary(r.errors), (summary_t{{R"(["body"])", "too_short"}}));
}

TEST(ValidationTest, MoreThanMaxBatchIsTooMany) {
  validation_limits limits;
  limits.max_batch = 2;
  const std::string one = R"({"event_type":"t","event_payload":"p"})";
  const auto at_limit = parse_event_batch("[" + one + "," + one + "]", limits);
  EXPECT_FALSE(at_limit.too_many);
  EXPECT_EQ(at_limit.events.size(), 2u);

  const auto over = parse_event_batch("[" + one + "," + one + "," + one + "]", limits);
  EXPECT_TRUE(over.too_many);
  EXPECT_TRUE(over.events.empty());
}

TEST(ValidationTest, DefaultMaxBatchIs1000) {
  const std::string one = R"({"event_type":"t","event_payload":"p"})";
  std::string body = "[" + one;
  for (int i = 1; i < 1000; ++i) body += "," + one;
  const auto at_limit = parse_event_batch(body + "]", defaults);
  EXPECT_FALSE(at_limit.too_many);
  EXPECT_EQ(at_limit.events.size(), 1000u);
  const auto over = parse_event_batch(body + "," + one + "]", defaults);
  EXPECT_TRUE(over.too_many);
}

TEST(ValidationTest, MalformedJsonIsJsonInvalid) {
  for (const char* bad :
       {"", "{", R"({"event_type":"t",})", "[1,2", "nope", R"({"a":1} x)", "\xFF\xFE"}) {
    const auto r = parse_event_batch(bad, defaults);
    EXPECT_EQ(summary(r.errors), (summary_t{{R"(["body"])", "json_invalid"}})) << bad;
    EXPECT_TRUE(r.events.empty());
    EXPECT_FALSE(r.too_many);
  }
}

TEST(ValidationTest, BodyThatIsNeitherObjectNorArrayIsRejected) {
  for (const char* bad : {R"("text")", "42", "null"}) {
    const auto r = parse_event_batch(bad, defaults);
    EXPECT_EQ(summary(r.errors), (summary_t{{R"(["body"])", "model_attributes_type"}})) << bad;
  }
}

// --- POST /api/events: exactly one object -------------------------------------------------

TEST(ValidationTest, SingleEventAcceptsAnObject) {
  const auto r = parse_single_event(R"({"event_type":"t","event_payload":{"a":[1.0]}})", defaults);
  ASSERT_TRUE(r.errors.empty());
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].payload_json, R"({"a":[1.0]})");
}

TEST(ValidationTest, SingleEventRefusesAnArray) {
  const auto r = parse_single_event(R"([{"event_type":"t","event_payload":"p"}])", defaults);
  EXPECT_TRUE(r.events.empty());
  EXPECT_EQ(summary(r.errors), (summary_t{{R"(["body"])", "model_attributes_type"}}));
}

TEST(ValidationTest, SingleEventErrorsUseBodyFieldLocations) {
  const auto r = parse_single_event(R"({"event_type":"","event_id":7})", defaults);
  EXPECT_EQ(summary(r.errors), (summary_t{{R"(["body","event_type"])", "string_too_short"},
                                          {R"(["body","event_payload"])", "missing"},
                                          {R"(["body","event_id"])", "string_type"}}));
  EXPECT_EQ(summary(parse_single_event("{", defaults).errors),
            (summary_t{{R"(["body"])", "json_invalid"}}));
}

// --- PUT / PATCH ------------------------------------------------------------------------------

TEST(ValidationTest, PutRequiresTypeAndPayload) {
  const auto r = parse_event_update("{}", /*replace=*/true, defaults);
  EXPECT_EQ(summary(r.errors), (summary_t{{R"(["body","event_type"])", "missing"},
                                          {R"(["body","event_payload"])", "missing"}}));

  const auto only_type = parse_event_update(R"({"event_type":"t"})", true, defaults);
  EXPECT_EQ(summary(only_type.errors), (summary_t{{R"(["body","event_payload"])", "missing"}}));
}

TEST(ValidationTest, PutReplacesTypePayloadAndClearsOccurredAt) {
  const auto r = parse_event_update(R"({"event_type":"new","event_payload":"x"})", true, defaults);
  ASSERT_TRUE(r.errors.empty());
  EXPECT_EQ(r.update.event_type, "new");
  EXPECT_EQ(r.update.payload_json, R"("x")");
  ASSERT_TRUE(r.update.occurred_at.has_value()) << "a replace sets every field";
  EXPECT_FALSE(r.update.occurred_at->has_value());
}

TEST(ValidationTest, PatchAcceptsAnySubset) {
  const auto nothing = parse_event_update("{}", /*replace=*/false, defaults);
  EXPECT_TRUE(nothing.errors.empty());
  EXPECT_FALSE(nothing.update.event_type.has_value());
  EXPECT_FALSE(nothing.update.payload_json.has_value());
  EXPECT_FALSE(nothing.update.occurred_at.has_value());

  const auto payload_only = parse_event_update(R"({"event_payload":[1.5]})", false, defaults);
  ASSERT_TRUE(payload_only.errors.empty());
  EXPECT_FALSE(payload_only.update.event_type.has_value());
  EXPECT_EQ(payload_only.update.payload_json, "[1.5]");
  EXPECT_FALSE(payload_only.update.occurred_at.has_value());

  const auto type_only = parse_event_update(R"({"event_type":"renamed"})", false, defaults);
  ASSERT_TRUE(type_only.errors.empty());
  EXPECT_EQ(type_only.update.event_type, "renamed");
  EXPECT_FALSE(type_only.update.payload_json.has_value());

  const auto when =
      parse_event_update(R"({"occurred_at":"2024-05-01T12:30:00Z"})", false, defaults);
  ASSERT_TRUE(when.errors.empty());
  ASSERT_TRUE(when.update.occurred_at.has_value());
  EXPECT_EQ(*when.update.occurred_at, "2024-05-01T12:30:00Z");

  const auto cleared = parse_event_update(R"({"occurred_at":null})", false, defaults);
  ASSERT_TRUE(cleared.errors.empty());
  ASSERT_TRUE(cleared.update.occurred_at.has_value()) << "null clears the timestamp";
  EXPECT_FALSE(cleared.update.occurred_at->has_value());
}

TEST(ValidationTest, PatchValidatesWhatIsGiven) {
  validation_limits limits;
  limits.max_payload_bytes = 4;
  const auto r = parse_event_update(
      R"({"event_type":"","event_payload":"too long","occurred_at":"2024-13-01T00:00:00Z"})", false,
      limits);
  EXPECT_EQ(summary(r.errors), (summary_t{{R"(["body","event_type"])", "string_too_short"},
                                          {R"(["body","event_payload"])", "payload_too_large"},
                                          {R"(["body","occurred_at"])", "datetime_parsing"}}));
}

TEST(ValidationTest, UpdateBodyMustBeAJsonObject) {
  EXPECT_EQ(summary(parse_event_update("[]", false, defaults).errors),
            (summary_t{{R"(["body"])", "model_attributes_type"}}));
  EXPECT_EQ(summary(parse_event_update("{oops", true, defaults).errors),
            (summary_t{{R"(["body"])", "json_invalid"}}));
}

// --- the 422 body -----------------------------------------------------------------------------

TEST(ValidationTest, ErrorBodyHasFastApiShape) {
  const auto r = parse_event_batch(
      R"([{"event_type":"t","event_payload":"p"},{"event_type":"t","event_payload":"p"},
          {"event_type":"t","event_payload":"p"},{"event_payload":"p"}])",
      defaults);
  const auto body = json::parse(validation_error_body(r.errors));
  ASSERT_TRUE(body.is_object());
  const auto& detail = body.at("detail").as_array();
  ASSERT_EQ(detail.size(), 1u);
  const auto& item = detail[0].as_object();
  EXPECT_EQ(item.at("loc"), json::parse(R"(["body",3,"event_type"])"));
  EXPECT_EQ(item.at("msg"), "Field required");
  EXPECT_EQ(item.at("type"), "missing");
}

TEST(ValidationTest, ErrorBodyListsEveryError) {
  const auto r = parse_event_batch(R"({"event_type":"","event_payload":5})", defaults);
  const auto body = json::parse(validation_error_body(r.errors));
  const auto& detail = body.at("detail").as_array();
  ASSERT_EQ(detail.size(), 2u);
  EXPECT_EQ(detail[0].at("loc"), json::parse(R"(["body","event_type"])"));
  EXPECT_EQ(detail[1].at("loc"), json::parse(R"(["body","event_payload"])"));
}

TEST(ValidationTest, ErrorBodyEscapesMessages) {
  const std::vector<field_error> errors{
      {json::array{"body", "event_type"}, "quote \" and \xC3\xA9", "x"}};
  const auto body = json::parse(validation_error_body(errors));
  EXPECT_EQ(body.at("detail").at(0).at("msg"), "quote \" and \xC3\xA9");
}

TEST(ValidationTest, EventTypeRejectsControlCharacters) {
  for (const char* type : {R"("a\u0000b")", R"("line\nbreak")", R"("\u001f")", R"("del\u007f")",
                           R"("c1\u0080")", R"("csi\u009b[2J")", R"("\u009f")", R"("ls\u2028")",
                           R"("ps\u2029")", R"("lre\u202a")", R"("rlo\u202e")", R"("lri\u2066")",
                           R"("pdi\u2069")", "\"raw rlo \xE2\x80\xAE\"", "\"raw c1 \xC2\x85\""}) {
    const auto r = parse_event_batch(event_with_type(type), defaults);
    EXPECT_TRUE(r.events.empty()) << type;
    EXPECT_EQ(summary(r.errors),
              (summary_t{{R"(["body","event_type"])", "string_control_characters"}}))
        << type;
  }
  // Letters, marks and symbols from any script are names like any other.
  for (const char* type : {R"("caf\u00e9")", R"("\u00a0nbsp")", R"("\u202f")", R"("\u2065")",
                           R"("\u206a")", R"("\ud83d\ude00")", "\"\xE6\x97\xA5\xE6\x9C\xAC\""}) {
    const auto r = parse_event_batch(event_with_type(type), defaults);
    EXPECT_TRUE(r.errors.empty()) << type;
  }
  // Payload strings may hold anything JSON can: they are stored as escaped JSON text.
  const auto payload = parse_event_batch(event_with_payload(R"("a\u0000b")"), defaults);
  EXPECT_TRUE(payload.errors.empty());
}

}  // namespace
}  // namespace evs::core
