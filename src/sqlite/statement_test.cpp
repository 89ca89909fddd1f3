#include "sqlite/statement.hpp"

#include "sqlite/error.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

namespace evs::sqlite {
namespace {

class Statement : public ::testing::Test {
 protected:
  Statement() : db_{(dir_ / "data.db").string(), open_mode::read_write_create} {
    db_.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER)");
  }

  // The rows of t, "name:n" each, NULLs as "-", in id order.
  std::string rows() {
    statement select{db_, "SELECT name, n FROM t ORDER BY id"};
    std::string out;
    while (select.step()) {
      out += select.column_is_null(0) ? "-" : select.column_text(0);
      out += ':';
      out += select.column_is_null(1) ? "-" : std::to_string(select.column_int64(1));
      out += ' ';
    }
    return out;
  }

  test::temp_dir dir_;
  connection db_;
};

TEST_F(Statement, BindsTextIntegersAndNullAndReadsThemBack) {
  statement insert{db_, "INSERT INTO t (name, n) VALUES (?, ?)"};
  insert.bind(1, std::string_view{"a"}).bind(2, std::int64_t{-7});
  EXPECT_FALSE(insert.step());
  insert.reset();
  insert.bind_null(1).bind(2, std::int64_t{1} << 40);
  insert.step();
  insert.reset();
  insert.bind(1, std::string{"c"}).bind_null(2);
  insert.step();
  EXPECT_EQ(rows(), "a:-7 -:1099511627776 c:- ");
}

TEST_F(Statement, TextWithNulBytesAndNonAsciiSurvivesWhole) {
  const std::string text{"caf\xC3\xA9\0tail", 10};
  statement insert{db_, "INSERT INTO t (name) VALUES (?)"};
  insert.bind(1, std::string_view{text});
  insert.step();
  statement select{db_, "SELECT name FROM t"};
  ASSERT_TRUE(select.step());
  EXPECT_EQ(select.column_text(0), text);
}

TEST_F(Statement, BindCopiesTheText) {
  std::string name = "before";
  statement insert{db_, "INSERT INTO t (name) VALUES (?)"};
  insert.bind(1, std::string_view{name});
  name = "after!";
  insert.step();
  EXPECT_EQ(rows(), "before:- ");
}

// The store binds every event's strings this way; a copy per string would cost per row.
TEST_F(Statement, BindStaticReadsTheCallersTextWithoutCopying) {
  std::string name = "before";
  statement insert{db_, "INSERT INTO t (name) VALUES (?)"};
  insert.bind_static(1, std::string_view{name});
  name.replace(0, name.size(), "later!");  // same buffer, new content
  insert.step();
  EXPECT_EQ(rows(), "later!:- ");
}

TEST_F(Statement, ResetRunsItAgainWithEveryParameterNull) {
  statement insert{db_, "INSERT INTO t (name, n) VALUES (?, ?)"};
  insert.bind(1, std::string_view{"a"}).bind(2, std::int64_t{1});
  insert.step();
  insert.reset();
  insert.step();
  EXPECT_EQ(rows(), "a:1 -:- ");
}

TEST_F(Statement, UniqueViolationCarriesTheConstraintCodes) {
  db_.exec("INSERT INTO t (name) VALUES ('taken')");
  statement insert{db_, "INSERT INTO t (name) VALUES (?)"};
  insert.bind(1, std::string_view{"taken"});
  try {
    insert.step();
    FAIL() << "stored a duplicate";
  } catch (const error& e) {
    EXPECT_EQ(e.code(), SQLITE_CONSTRAINT);
    EXPECT_EQ(e.extended_code(), SQLITE_CONSTRAINT_UNIQUE);
    EXPECT_NE(std::string{e.what()}.find("UNIQUE"), std::string::npos) << e.what();
  }
}

TEST_F(Statement, AFailedStepLeavesAReusableStatementWhenReset) {
  db_.exec("INSERT INTO t (name) VALUES ('taken')");
  statement insert{db_, "INSERT INTO t (name) VALUES (?)"};
  try {
    const reset_on_exit reset{insert};
    insert.bind(1, std::string_view{"taken"});
    insert.step();
  } catch (const error&) {
  }
  insert.bind(1, std::string_view{"free"});
  EXPECT_NO_THROW(insert.step());
  EXPECT_EQ(rows(), "taken:- free:- ");
}

TEST_F(Statement, PreparingBadSqlFailsWithTheCode) {
  try {
    statement bad{db_, "SELECT nope FROM t"};
    FAIL() << "prepared a statement naming a missing column";
  } catch (const error& e) {
    EXPECT_EQ(e.code(), SQLITE_ERROR);
    EXPECT_NE(std::string{e.what()}.find("nope"), std::string::npos) << e.what();
  }
}

TEST_F(Statement, AMovedStatementKeepsWorking) {
  statement first{db_, "INSERT INTO t (name) VALUES ('moved')"};
  statement second = std::move(first);
  second.step();
  statement third{db_, "SELECT 1"};
  third = std::move(second);
  third.reset();
  EXPECT_THROW(third.step(), error);  // runs the moved INSERT again: a duplicate name
  EXPECT_EQ(rows(), "moved:- ");
}

}  // namespace
}  // namespace evs::sqlite
