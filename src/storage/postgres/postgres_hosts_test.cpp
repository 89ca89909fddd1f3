#include "storage/postgres/postgres_hosts.hpp"

#include "runtime/settings.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace evs::storage {
namespace {

std::map<std::string, std::string> as_map(const std::vector<connection_param>& params) {
  std::map<std::string, std::string> out;
  for (const auto& p : params) out[p.keyword] = p.value;
  return out;
}

std::string error_of(auto&& call) {
  try {
    call();
  } catch (const runtime::config_error& e) {
    return e.what();
  }
  return "(no config_error)";
}

TEST(PostgresHosts, OneHostIsPassedAsItIsWithoutSessionRequirements) {
  const auto params = as_map(host_params("db.internal", {5432}));
  EXPECT_EQ(params, (std::map<std::string, std::string>{{"host", "db.internal"}, {"port", "5432"}}))
      << "one host may be a standby on purpose: ping() reports it read-only, start-up still works";
}

TEST(PostgresHosts, SeveralHostsShareOnePortOrHaveOneEach) {
  EXPECT_EQ(as_map(host_params("h1, h2", {6432})),
            (std::map<std::string, std::string>{
                {"host", "h1,h2"}, {"port", "6432"}, {"target_session_attrs", "read-write"}}));
  EXPECT_EQ(as_map(host_params("h1,h2,h3", {5432, 5433, 5434})),
            (std::map<std::string, std::string>{{"host", "h1,h2,h3"},
                                                {"port", "5432,5433,5434"},
                                                {"target_session_attrs", "read-write"}}));
}

TEST(PostgresHosts, PortCountMustMatchTheHosts) {
  const auto message = error_of([] { host_params("h1,h2,h3", {5432, 5433}); });
  EXPECT_EQ(message.rfind("DB_PORT", 0), 0U) << message;
  EXPECT_NE(message.find("2 ports for 3"), std::string::npos) << message;
}

TEST(PostgresHosts, EmptyHostNamesAreRefused) {
  for (const char* hosts : {"h1,", ",h1", "h1,,h2", " , "}) {
    const auto message = error_of([&] { split_host_list(hosts); });
    EXPECT_EQ(message.rfind("DB_HOSTNAME", 0), 0U) << hosts << ": " << message;
  }
}

TEST(PostgresHosts, PortListsAreChecked) {
  EXPECT_EQ(parse_port_list("5432"), (std::vector<std::uint16_t>{5432}));
  EXPECT_EQ(parse_port_list("5432, 5433"), (std::vector<std::uint16_t>{5432, 5433}));
  EXPECT_TRUE(parse_port_list("0").empty()) << "0 alone: the driver's default port";
  for (const char* ports : {"", "0,5432", "65536", "5432,", "54x2", "-1", "5432;5433", "+5432"}) {
    const auto message = error_of([&] { parse_port_list(ports); });
    EXPECT_EQ(message.rfind("DB_PORT", 0), 0U) << "'" << ports << "': " << message;
  }
}

TEST(PostgresHosts, UrlsWithSeveralHostsAreRecognised) {
  EXPECT_TRUE(url_has_several_hosts("postgresql://u:p@h1:5432,h2:5433/db"));
  EXPECT_TRUE(url_has_several_hosts("postgres://h1,h2/db?sslmode=disable"));
  EXPECT_FALSE(url_has_several_hosts("postgresql://u:p@db:5432/db"));
  EXPECT_FALSE(url_has_several_hosts("postgresql://u:a,b@db:5432/db"))
      << "a comma in the password is not a host list";
  EXPECT_FALSE(url_has_several_hosts("postgresql://u@db/db?options=-c%20a=1,2"));
}

}  // namespace
}  // namespace evs::storage
