#include "sqlite/migrations.hpp"

#include "sqlite/error.hpp"
#include "sqlite/statement.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace evs::sqlite {
namespace {

// Each step needs the one before it, and the last one writes a row: applied out of order it
// fails, applied twice it leaves two rows.
const std::vector<migration> steps = {
    {1, "CREATE TABLE notes (body TEXT NOT NULL)"},
    {2, "ALTER TABLE notes ADD COLUMN author TEXT"},
    {3, "INSERT INTO notes (body, author) VALUES ('hello', 'ada')"},
};

std::span<const migration> first(std::size_t n) { return std::span{steps}.first(n); }

class Migrations : public ::testing::Test {
 protected:
  std::string path() const { return (dir_ / "data.db").string(); }

  std::string notes(connection& db) {
    statement select{db, "SELECT body, author FROM notes"};
    std::string out;
    while (select.step()) out += select.column_text(0) + "/" + select.column_text(1) + " ";
    return out;
  }

  bool has_table(connection& db, const char* name) {
    statement query{db, "SELECT count(*) FROM sqlite_schema WHERE name = ?"};
    query.bind(1, std::string_view{name});
    query.step();
    return query.column_int64(0) != 0;
  }

  test::temp_dir dir_;
};

TEST_F(Migrations, AFreshDatabaseGetsEveryStepInOrder) {
  connection db{path(), open_mode::read_write_create};
  EXPECT_EQ(schema_version(db), 0);
  EXPECT_EQ(migrate(db, steps), 3);
  EXPECT_EQ(schema_version(db), 3);
  EXPECT_EQ(notes(db), "hello/ada ");
  EXPECT_FALSE(db.in_transaction());
}

TEST_F(Migrations, MigratingAgainChangesNothing) {
  connection db{path(), open_mode::read_write_create};
  migrate(db, steps);
  EXPECT_EQ(migrate(db, steps), 0);
  connection second{path(), open_mode::read_write};
  EXPECT_EQ(migrate(second, steps), 0);
  EXPECT_EQ(notes(db), "hello/ada ");
  EXPECT_EQ(schema_version(db), 3);
}

TEST_F(Migrations, AReopenedDatabaseGetsOnlyTheNewSteps) {
  {
    connection db{path(), open_mode::read_write_create};
    EXPECT_EQ(migrate(db, first(1)), 1);
    db.exec("INSERT INTO notes (body) VALUES ('kept')");
  }
  {
    connection db{path(), open_mode::read_write};
    EXPECT_EQ(schema_version(db), 1);
    EXPECT_EQ(migrate(db, first(2)), 1);
  }
  connection db{path(), open_mode::read_write};
  EXPECT_EQ(migrate(db, steps), 1);
  EXPECT_EQ(schema_version(db), 3);
  statement count{db, "SELECT count(*) FROM notes"};
  count.step();
  EXPECT_EQ(count.column_int64(0), 2) << "the row written at version 1 is kept";
}

TEST_F(Migrations, AFailingStepUndoesTheWholeRun) {
  const std::vector<migration> broken = {
      steps[0],
      {2, "ALTER TABLE missing ADD COLUMN author TEXT"},
  };
  connection db{path(), open_mode::read_write_create};
  try {
    migrate(db, broken);
    FAIL() << "a failing step went unnoticed";
  } catch (const error& e) {
    EXPECT_EQ(e.code(), SQLITE_ERROR);
  }
  EXPECT_FALSE(db.in_transaction());
  EXPECT_EQ(schema_version(db), 0);
  EXPECT_FALSE(has_table(db, "notes")) << "step 1 of the failed run was kept";
  EXPECT_EQ(migrate(db, steps), 3);
}

TEST_F(Migrations, ANewerDatabaseIsRefusedAndLeftAlone) {
  connection db{path(), open_mode::read_write_create};
  migrate(db, steps);
  try {
    migrate(db, first(2));
    FAIL() << "an older program took a newer database";
  } catch (const error& e) {
    EXPECT_NE(std::string{e.what()}.find("newer"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(db.in_transaction());
  EXPECT_EQ(schema_version(db), 3);
  EXPECT_EQ(notes(db), "hello/ada ");
}

TEST_F(Migrations, StepsMustBeNumberedOneTwoThree) {
  connection db{path(), open_mode::read_write_create};
  const std::vector<migration> gap = {steps[0], {3, "SELECT 1"}};
  EXPECT_THROW(migrate(db, gap), std::invalid_argument);
  const std::vector<migration> from_two = {{2, "SELECT 1"}};
  EXPECT_THROW(migrate(db, from_two), std::invalid_argument);
  EXPECT_EQ(schema_version(db), 0);
  EXPECT_FALSE(has_table(db, "notes"));
}

TEST_F(Migrations, AReadOnlyConnectionReadsTheVersionWithoutWriting) {
  { connection create{path(), open_mode::read_write_create}; }
  {
    connection reader{path(), open_mode::read_only};
    EXPECT_EQ(schema_version(reader), 0);
    EXPECT_FALSE(has_table(reader, "schema_version"));
  }
  connection writer{path(), open_mode::read_write};
  migrate(writer, first(2));
  connection reader{path(), open_mode::read_only};
  EXPECT_EQ(schema_version(reader), 2);
}

}  // namespace
}  // namespace evs::sqlite
