#include "sqlite/transaction.hpp"

#include "sqlite/error.hpp"
#include "sqlite/statement.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <stdexcept>
#include <string>

namespace evs::sqlite {
namespace {

class Transaction : public ::testing::Test {
 protected:
  Transaction() : db_{path(), open_mode::read_write_create} {
    db_.set_pragma("journal_mode", "WAL");
    db_.exec("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)");
  }

  std::string path() const { return (dir_ / "data.db").string(); }

  // Counted on a connection of its own: it sees only what was committed.
  std::int64_t committed_rows() const {
    connection reader{path(), open_mode::read_only};
    statement count{reader, "SELECT count(*) FROM t"};
    count.step();
    return count.column_int64(0);
  }

  test::temp_dir dir_;
  connection db_;
};

TEST_F(Transaction, CommitKeepsTheChangesAndOthersSeeThem) {
  {
    transaction tx{db_};
    EXPECT_TRUE(db_.in_transaction());
    db_.exec("INSERT INTO t VALUES (1), (2)");
    EXPECT_EQ(committed_rows(), 0);
    tx.commit();
  }
  EXPECT_FALSE(db_.in_transaction());
  EXPECT_EQ(committed_rows(), 2);
}

TEST_F(Transaction, LeavingTheScopeByAnExceptionRollsBack) {
  try {
    transaction tx{db_};
    db_.exec("INSERT INTO t VALUES (1)");
    throw std::runtime_error("the caller gave up");
  } catch (const std::runtime_error&) {
  }
  EXPECT_FALSE(db_.in_transaction());
  EXPECT_EQ(committed_rows(), 0);
  transaction next{db_};  // the connection is free for the next one
  db_.exec("INSERT INTO t VALUES (1)");
  next.commit();
  EXPECT_EQ(committed_rows(), 1);
}

TEST_F(Transaction, AFailedStatementRollsBackEverythingBeforeIt) {
  EXPECT_THROW(
      {
        transaction tx{db_};
        db_.exec("INSERT INTO t VALUES (1)");
        db_.exec("INSERT INTO t VALUES (1)");  // UNIQUE
        tx.commit();
      },
      error);
  EXPECT_FALSE(db_.in_transaction());
  EXPECT_EQ(committed_rows(), 0);
}

TEST_F(Transaction, RollbackUndoesAtOnce) {
  transaction tx{db_};
  db_.exec("INSERT INTO t VALUES (1)");
  tx.rollback();
  EXPECT_FALSE(db_.in_transaction());
  db_.exec("INSERT INTO t VALUES (2)");  // autocommit again
  EXPECT_EQ(committed_rows(), 1);
}

// A commit that SQLite refuses (a deferred foreign key still violated) leaves the transaction
// open; the end of the scope must still undo it.
TEST_F(Transaction, ARefusedCommitIsRolledBackWhenTheScopeEnds) {
  db_.set_pragma("foreign_keys", "ON");
  db_.exec(
      "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
      "CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) "
      "DEFERRABLE INITIALLY DEFERRED)");
  try {
    transaction tx{db_};
    db_.exec("INSERT INTO child VALUES (42); INSERT INTO t VALUES (1);");
    tx.commit();
    FAIL() << "committed a dangling reference";
  } catch (const error& e) {
    EXPECT_EQ(e.code(), SQLITE_CONSTRAINT);
    EXPECT_EQ(e.extended_code(), SQLITE_CONSTRAINT_FOREIGNKEY);
  }
  EXPECT_FALSE(db_.in_transaction());
  EXPECT_EQ(committed_rows(), 0);
}

TEST_F(Transaction, ASecondWriterIsBusyUntilTheFirstCommits) {
  connection other{path(), open_mode::read_write};
  other.busy_timeout(std::chrono::milliseconds{0});
  transaction first{db_};
  db_.exec("INSERT INTO t VALUES (1)");
  try {
    transaction second{other};
    FAIL() << "two write transactions at once";
  } catch (const error& e) {
    EXPECT_EQ(e.code(), SQLITE_BUSY);
  }
  EXPECT_FALSE(other.in_transaction());
  first.commit();
  transaction second{other};
  other.exec("INSERT INTO t VALUES (2)");
  second.commit();
  EXPECT_EQ(committed_rows(), 2);
}

}  // namespace
}  // namespace evs::sqlite
