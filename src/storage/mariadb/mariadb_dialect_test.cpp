#include "storage/mariadb/mariadb_dialect.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace evs::storage::mariadb {
namespace {

using namespace std::chrono_literals;

// What Connector/C reports for servers of each kind.
const server_flavour mariadb_10_11 = flavour_of("10.11.6-MariaDB-0+deb12u1", 101106);
const server_flavour mariadb_10_4 = flavour_of("10.4.32-MariaDB", 100432);
const server_flavour mysql_8 = flavour_of("8.0.36", 80036);

TEST(MariadbDialect, TellsMariadbFromMysqlByTheVersionString) {
  EXPECT_TRUE(mariadb_10_11.mariadb);
  EXPECT_TRUE(mariadb_10_4.mariadb);
  EXPECT_FALSE(mysql_8.mariadb);
  // Debian's MySQL says only its version: the description names the server for the logs.
  EXPECT_EQ(flavour_of("9.7.4-2", 90704).description, "MySQL 9.7.4-2");
  EXPECT_EQ(mariadb_10_11.description, "10.11.6-MariaDB-0+deb12u1");
  EXPECT_TRUE(supports_native(mariadb_10_11));
  EXPECT_TRUE(supports_native(flavour_of("10.5.0-MariaDB", 100500)));
  EXPECT_FALSE(supports_native(mariadb_10_4));  // no INSERT ... RETURNING before 10.5
  EXPECT_FALSE(supports_native(mysql_8));
  // MySQL 10 (should it come) is still not MariaDB.
  EXPECT_FALSE(supports_native(flavour_of("10.6.0", 100600)));
}

TEST(MariadbDialect, AutomaticPicksNativeOnlyWhereTheServerHasIt) {
  EXPECT_EQ(dialect_for_new_database(mariadb_dialect::automatic, mariadb_10_11), dialect::native);
  EXPECT_EQ(dialect_for_new_database(mariadb_dialect::automatic, mariadb_10_4), dialect::portable);
  EXPECT_EQ(dialect_for_new_database(mariadb_dialect::automatic, mysql_8), dialect::portable);
}

TEST(MariadbDialect, PortableCanBeForcedAnywhereNativeOnlyWhereItWorks) {
  EXPECT_EQ(dialect_for_new_database(mariadb_dialect::portable, mariadb_10_11), dialect::portable);
  EXPECT_EQ(dialect_for_new_database(mariadb_dialect::native, mariadb_10_11), dialect::native);
  EXPECT_THROW(dialect_for_new_database(mariadb_dialect::native, mysql_8), std::runtime_error);
  EXPECT_THROW(dialect_for_new_database(mariadb_dialect::native, mariadb_10_4), std::runtime_error);
}

TEST(MariadbDialect, ANativeDatabaseNeedsAServerWithSequencesAndReturning) {
  EXPECT_NO_THROW(check_usable(dialect::native, mariadb_10_11));
  EXPECT_NO_THROW(check_usable(dialect::portable, mariadb_10_11));
  EXPECT_NO_THROW(check_usable(dialect::portable, mysql_8));
  try {
    check_usable(dialect::native, mysql_8);
    FAIL() << "a native database on MySQL must be refused";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string{e.what()}.find("the server is MySQL 8.0.36"), std::string::npos)
        << e.what();
  }
}

TEST(MariadbDialect, SpellsCollationAndTimeoutForEachServer) {
  EXPECT_EQ(binary_collation(mariadb_10_11), "utf8mb4_nopad_bin");
  EXPECT_EQ(binary_collation(mariadb_10_4), "utf8mb4_nopad_bin");
  EXPECT_EQ(binary_collation(mysql_8), "utf8mb4_0900_bin");
  EXPECT_EQ(statement_timeout_setting(mariadb_10_11, 10s), "max_statement_time = 10");
  EXPECT_EQ(statement_timeout_setting(mysql_8, 10s), "max_execution_time = 10000");
}

}  // namespace
}  // namespace evs::storage::mariadb
