# MariaDB-only tests, included by tests/CMakeLists.txt. They read EVS_TEST_MARIADB_URL and the
# other variables that scripts/with-mariadb exports, and fail, never skip, without them.
#
#   mariadb_consumers   two stores on one database, overlapping event_ids stored once
#   mariadb_consumer_process  the real event-consumer: the server stopped, killed and frozen
#                       under HTTP load, kill -9 of the consumer and restart, exit code 2 on a
#                       bad password or database
#   with_mariadb        the throwaway-server script itself
#   mariadb_dialect     which dialect a database gets and keeps; the portable one across two
#                       stores
#   *.mariadb_portable, mariadb_portable_consumers  the suites again in the portable dialect

add_test(NAME with_mariadb
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/integration/with_mysql_server_test.sh mariadb
          ${PROJECT_SOURCE_DIR}/scripts/with-mariadb)
set_tests_properties(with_mariadb PROPERTIES LABELS "integration;mariadb" TIMEOUT 300)

add_test(NAME mariadb_consumers COMMAND two_consumers_test --gtest_filter=*/mariadb)

evs_integration_executable(mariadb_consumer_process_test
  SOURCES integration/mariadb_consumer_process_test.cpp integration/http_writers.cpp)
target_compile_definitions(mariadb_consumer_process_test PRIVATE
  EVS_CONSUMER_BINARY="$<TARGET_FILE:event-consumer>")
add_dependencies(mariadb_consumer_process_test event-consumer)
add_test(NAME mariadb_consumer_process COMMAND mariadb_consumer_process_test)

set_tests_properties(mariadb_consumers PROPERTIES LABELS "integration;mariadb;tsan" TIMEOUT 300)
# Stops, kills and freezes the shared server: nothing else may run meanwhile.
set_tests_properties(mariadb_consumer_process PROPERTIES
  LABELS "integration;mariadb" TIMEOUT 600 RUN_SERIAL TRUE)

# The portable dialect (what MySQL 8 gets: a counter table, no INSERT ... RETURNING), forced on
# the same server: the contract, API and two-consumer suites again, and the dialect's own test.
add_test(NAME event_store_contract.mariadb_portable
  COMMAND event_store_contract_test --gtest_filter=*/mariadb_portable)
add_test(NAME consumer_api.mariadb_portable COMMAND consumer_api_test --gtest_filter=*/mariadb_portable)
add_test(NAME mariadb_portable_consumers COMMAND two_consumers_test --gtest_filter=*/mariadb_portable)
evs_integration_executable(mariadb_dialect_test SOURCES integration/mariadb_dialect_test.cpp
  LIBS PkgConfig::LIBMARIADB)
add_test(NAME mariadb_dialect
  COMMAND mariadb_dialect_test --gtest_filter=MariadbDialect.*:*/mariadb_forced)
set_tests_properties(event_store_contract.mariadb_portable consumer_api.mariadb_portable
                     mariadb_portable_consumers mariadb_dialect
  PROPERTIES LABELS "integration;mariadb;tsan" TIMEOUT 300)
