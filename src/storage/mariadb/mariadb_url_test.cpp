#include "storage/mariadb/mariadb_url.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace evs::storage::mariadb {
namespace {

TEST(MariadbUrl, SplitsEveryPart) {
  const auto c = mariadb_from_url("mysql://evs:s3cret@db.example:3307/events");
  EXPECT_EQ(c.user, "evs");
  EXPECT_EQ(c.password, "s3cret");
  EXPECT_EQ(c.host, "db.example");
  EXPECT_EQ(c.port, 3307);
  EXPECT_EQ(c.database, "events");
}

TEST(MariadbUrl, DefaultsToPort3306AndTakesTheMariadbScheme) {
  const auto c = mariadb_from_url("mariadb://evs@localhost/events");
  EXPECT_EQ(c.host, "localhost");
  EXPECT_EQ(c.port, 3306);
  EXPECT_EQ(c.user, "evs");
  EXPECT_EQ(c.password, "");
}

TEST(MariadbUrl, DecodesPercentEscapesInUserPasswordAndDatabase) {
  const auto c = mariadb_from_url("mysql://us%40er:p%3Aw%2Fd%40%25@[::1]:3306/my%20db");
  EXPECT_EQ(c.user, "us@er");
  EXPECT_EQ(c.password, "p:w/d@%");
  EXPECT_EQ(c.host, "::1");
  EXPECT_EQ(c.database, "my db");
}

TEST(MariadbUrl, RefusesWhatItCannotRead) {
  for (const char* bad :
       {"postgresql://h/db", "mysql:///db", "mysql://h:0/db", "mysql://h:x/db",
        "mysql://h:70000/db", "mysql://u:%zz@h/db", "mysql://h/db?ssl=1", "mysql://[::1/db"})
    EXPECT_THROW(mariadb_from_url(bad), std::invalid_argument) << bad;
}

}  // namespace
}  // namespace evs::storage::mariadb
