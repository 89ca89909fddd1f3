# PostgreSQL-only tests, included by tests/CMakeLists.txt. They read EVS_TEST_PG_URL and the
# other variables that scripts/with-postgres exports, and fail, never skip, without them.
#
#   postgres_store      start-up errors, text encoding, read-only server, killed connections
#   postgres_outage     stop the server under concurrent inserts, start it, nothing lost
#   postgres_consumers  two stores on one database, overlapping event_ids stored once (the
#                       test is shared with mariadb_consumers)
#   postgres_consumer_process  the real event-consumer: the server stopped under HTTP load,
#                       kill -9 and restart, exit code 2 on a bad password or database
#   postgres_failover   a primary and a streaming standby, kill -9 of the primary under
#                       HTTP load, the standby promoted: consumers follow it by themselves
#   postgres_read_standby  DB_READ_URL: listings from a standby, lookups by id read your writes
#   with_postgres       the throwaway-server script itself

evs_integration_executable(pg_store_test
  SOURCES integration/pg_store_test.cpp
  LIBS PkgConfig::LIBPQ)
add_test(NAME postgres_store COMMAND pg_store_test)

evs_integration_executable(pg_outage_test
  SOURCES integration/pg_outage_test.cpp integration/pg_control.cpp)
add_test(NAME postgres_outage COMMAND pg_outage_test)

# Shared with mariadb_tests.cmake: one test, run per server backend.
evs_integration_executable(two_consumers_test
  SOURCES integration/two_consumers_test.cpp)
add_test(NAME postgres_consumers COMMAND two_consumers_test --gtest_filter=*/postgres)

evs_integration_executable(pg_consumer_process_test
  SOURCES integration/pg_consumer_process_test.cpp integration/pg_control.cpp
          integration/http_writers.cpp
  LIBS PkgConfig::LIBPQ)
target_compile_definitions(pg_consumer_process_test PRIVATE
  EVS_CONSUMER_BINARY="$<TARGET_FILE:event-consumer>")
add_dependencies(pg_consumer_process_test event-consumer)
add_test(NAME postgres_consumer_process COMMAND pg_consumer_process_test)

add_test(NAME with_postgres
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/integration/with_postgres_test.sh
          ${PROJECT_SOURCE_DIR}/scripts/with-postgres)

set_tests_properties(postgres_store postgres_consumers with_postgres PROPERTIES
  LABELS "integration;postgres" TIMEOUT 300)
# Stops the shared server: nothing else may run meanwhile.
set_tests_properties(postgres_outage postgres_consumer_process PROPERTIES
  LABELS "integration;postgres" TIMEOUT 300 RUN_SERIAL TRUE)
# Two stores on one database share pools across threads: also run under ThreadSanitizer.
set_tests_properties(postgres_consumers PROPERTIES LABELS "integration;postgres;tsan")

# A primary and a streaming standby of its own (built with the binaries of scripts/with-postgres),
# two consumers under load, kill -9 of the primary, pg_ctl promote. Runs alone: two more servers
# and two consumers on CI's two cores, and the refusal window it prints is a measurement.
evs_integration_executable(pg_failover_test
  SOURCES integration/pg_failover_test.cpp integration/pg_standby_pair.cpp
          integration/pg_control.cpp integration/http_writers.cpp)
target_compile_definitions(pg_failover_test PRIVATE
  EVS_CONSUMER_BINARY="$<TARGET_FILE:event-consumer>")
add_dependencies(pg_failover_test event-consumer)
add_test(NAME postgres_failover COMMAND pg_failover_test)
set_tests_properties(postgres_failover PROPERTIES
  LABELS "integration;postgres" TIMEOUT 300 RUN_SERIAL TRUE)

# DB_READ_URL on a standby of its own: listings lag behind, lookups by id do not.
evs_integration_executable(pg_read_standby_test
  SOURCES integration/pg_read_standby_test.cpp integration/pg_standby_pair.cpp
          integration/pg_control.cpp)
target_compile_definitions(pg_read_standby_test PRIVATE
  EVS_CONSUMER_BINARY="$<TARGET_FILE:event-consumer>")
add_dependencies(pg_read_standby_test event-consumer)
add_test(NAME postgres_read_standby COMMAND pg_read_standby_test)
set_tests_properties(postgres_read_standby PROPERTIES LABELS "integration;postgres" TIMEOUT 300)
