#pragma once
// The storage backends every backend-independent suite runs against, and a clean, private
// database for one test on any of them.
#include "storage/event_store.hpp"
#include "storage/mariadb/mariadb_url.hpp"
#include "storage/storage_config.hpp"
#include "support/temp_dir.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace evs::test {

struct backend {
  std::string name;  // the suffix of the test names: run one half with --gtest_filter=*/name
  std::function<storage::storage_config()> config;
};
inline std::ostream& operator<<(std::ostream& os, const backend& b) { return os << b.name; }

// The value of an environment variable the run cannot do without; throws a message that says
// how to provide it.
std::string required_env(const char* name);

// One line per backend. An empty SQLite path means "a file in a fresh temporary folder".
inline std::vector<backend> all_backends() {
  return {
      {"sqlite", [] { return storage::storage_config{storage::sqlite_config{""}}; }},
      {"postgres",
       [] {
         return storage::storage_config{
             storage::postgres_from_url(required_env("EVS_TEST_PG_URL"))};
       }},
      {"mariadb",
       [] {
         return storage::storage_config{
             storage::mariadb::mariadb_from_url(required_env("EVS_TEST_MARIADB_URL"))};
       }},
      // The same server in the portable dialect, the one MySQL 8 gets (no sequence, no
      // INSERT ... RETURNING): test databases are fresh, so they are created portable.
      {"mariadb_portable",
       [] {
         auto config = storage::mariadb::mariadb_from_url(required_env("EVS_TEST_MARIADB_URL"));
         config.dialect = storage::mariadb_dialect::portable;
         return storage::storage_config{config};
       }},
      // A real MySQL (scripts/with-mysql), the dialect left to the store: it must choose the
      // portable one by itself.
      {"mysql",
       [] {
         return storage::storage_config{
             storage::mariadb::mariadb_from_url(required_env("EVS_TEST_MYSQL_URL"))};
       }},
  };
}

// For INSTANTIATE_TEST_SUITE_P: names the instances by backend.
struct backend_name {
  template <class ParamInfo>
  std::string operator()(const ParamInfo& info) const {
    return info.param.name;
  }
};

// A database nobody else uses: SQLite gets a file in a temporary folder; PostgreSQL gets a
// schema of its own (on the search_path of every connection the store opens), MariaDB and MySQL
// a database of its own, dropped at the end, so tests may run in parallel on one server. Throws
// std::runtime_error when the backend is not available.
class test_database {
 public:
  explicit test_database(const backend& b);
  ~test_database();
  test_database(const test_database&) = delete;
  test_database& operator=(const test_database&) = delete;

  const storage::storage_config& config() const { return config_; }
  bool is_sqlite() const;
  // The SQLite file (empty for other backends).
  std::string sqlite_path() const;

  // Fault injection through the backend's own client library: from now on the database
  // refuses to store an event of this type (a trigger or CHECK constraint), so an insert
  // that contains one fails.
  void reject_event_type(const std::string& event_type);

 private:
  storage::storage_config config_;
  std::optional<temp_dir> dir_;
  std::string admin_conninfo_;  // PostgreSQL: the URL without our search_path
  std::string schema_;          // PostgreSQL: the schema; MariaDB: the database
};

// Every event in `store`, oldest first, listed `page_size` at a time; throws when a page fails.
std::vector<core::stored_event> list_all(storage::event_store& store, std::size_t page_size = 1000);

}  // namespace evs::test
