# MariaDB-only tests, included by tests/CMakeLists.txt. They read EVS_TEST_MARIADB_URL and the
# other variables that scripts/with-mariadb exports, and fail, never skip, without them.
#
#   mariadb_consumers   two stores on one database, overlapping event_ids stored once
#   mariadb_consumer_process  the real event-consumer: the server stopped, killed and frozen
#                       under HTTP load, kill -9 of the consumer and restart, exit code 2 on a
#                       bad password or database
#   with_mariadb        the throwaway-server script itself

add_test(NAME with_mariadb
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/integration/with_mariadb_test.sh
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
