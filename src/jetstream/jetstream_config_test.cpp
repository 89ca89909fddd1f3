#include "jetstream/jetstream_config.hpp"
#include "jetstream/nats_settings.hpp"
#include "runtime/settings.hpp"

#include <gtest/gtest.h>

namespace evs::jetstream {
namespace {

TEST(NatsUrl, SplitsEveryServerAndTrimsSpaces) {
  const auto servers = split_nats_url("nats://a:4222, nats://b:4223 ,nats://c:4224");
  EXPECT_EQ(servers, (std::vector<std::string>{"nats://a:4222", "nats://b:4223", "nats://c:4224"}));
}

TEST(NatsUrl, RefusesNoServerOrAnotherScheme) {
  EXPECT_THROW(split_nats_url(""), runtime::config_error);
  EXPECT_THROW(split_nats_url(" , "), runtime::config_error);
  EXPECT_THROW(split_nats_url("nats://a:4222,http://b:80"), runtime::config_error);
}

TEST(NatsStream, RefusesSubjectSyntaxInItsName) {
  EXPECT_NO_THROW(check_stream_name("EVENTS_2"));
  EXPECT_THROW(check_stream_name(""), runtime::config_error);
  EXPECT_THROW(check_stream_name("EVENTS.v2"), runtime::config_error);
  EXPECT_THROW(check_stream_name("EV*"), runtime::config_error);
}

}  // namespace
}  // namespace evs::jetstream
