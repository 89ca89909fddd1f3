#include "propagator/delivery_status.hpp"

#include <gtest/gtest.h>

namespace evs::propagator {
namespace {

TEST(ClassifyStatus, SuccessIsAny2xx) {
  for (long s : {200L, 201L, 202L, 204L, 299L})
    EXPECT_EQ(classify_status(s), delivery_outcome::ok) << s;
}

TEST(ClassifyStatus, TransientFailuresAreRetried) {
  for (long s : {0L, 408L, 429L, 500L, 502L, 503L, 504L, 599L})
    EXPECT_EQ(classify_status(s), delivery_outcome::retry) << s;
}

TEST(ClassifyStatus, OtherClientErrorsAreFinal) {
  for (long s : {400L, 401L, 403L, 404L, 405L, 409L, 413L, 415L, 422L, 499L})
    EXPECT_EQ(classify_status(s), delivery_outcome::error) << s;
}

TEST(ClassifyStatus, UnexpectedStatusesKeepTheEvents) {
  for (long s : {100L, 301L, 302L, 307L, 600L})
    EXPECT_EQ(classify_status(s), delivery_outcome::retry) << s;
}

TEST(OutcomeName, Names) {
  EXPECT_STREQ(outcome_name(delivery_outcome::ok), "ok");
  EXPECT_STREQ(outcome_name(delivery_outcome::retry), "retry");
  EXPECT_STREQ(outcome_name(delivery_outcome::error), "error");
}

TEST(ParseRetryAfter, DelaySeconds) {
  EXPECT_EQ(parse_retry_after("120", 0), std::chrono::seconds{120});
  EXPECT_EQ(parse_retry_after(" 7 ", 0), std::chrono::seconds{7});
  EXPECT_EQ(parse_retry_after("0", 0), std::chrono::seconds{0});
  EXPECT_GT(parse_retry_after("99999999999999999999999", 0), std::chrono::seconds{3600});
}

TEST(ParseRetryAfter, HttpDate) {
  // Wed, 21 Oct 2015 07:28:00 GMT is 1445412480.
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 - 30),
            std::chrono::seconds{30});
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 + 30),
            std::chrono::seconds{0});
}

TEST(ParseRetryAfter, GarbageIsNoAdvice) {
  EXPECT_EQ(parse_retry_after("", 0), std::nullopt);
  EXPECT_EQ(parse_retry_after("soon", 0), std::nullopt);
  EXPECT_EQ(parse_retry_after("-5", 0), std::nullopt);
  EXPECT_EQ(parse_retry_after("1.5", 0), std::nullopt);
}

}  // namespace
}  // namespace evs::propagator
