# JetStream tests, included by tests/CMakeLists.txt. They read NATS_URL and the other variables
# that scripts/with-nats exports (a three-node cluster), and fail, never skip, without them.
#
#   with_nats               the throwaway-cluster script itself

add_test(NAME with_nats
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/integration/with_nats_test.sh
          ${PROJECT_SOURCE_DIR}/scripts/with-nats)
set_tests_properties(with_nats PROPERTIES LABELS "integration;nats" TIMEOUT 120)

# jetstream_leader_kill   consumers under HTTP load, the stream leader killed with kill -9 and
#                         restarted: every acknowledged event loaded exactly once
# jetstream_loader_kill   the loader killed with kill -9 mid-drain and restarted
# jetstream_database_down PostgreSQL stopped under load: ingest answers 2xx, the loader catches up
# jetstream_no_quorum     two nodes killed: 503 + Retry-After and /api/ready 503, then back
evs_integration_executable(jetstream_process_test
  SOURCES integration/jetstream_process_test.cpp integration/nats_cluster.cpp
          integration/pg_control.cpp)
target_compile_definitions(jetstream_process_test PRIVATE
  EVS_CONSUMER_BINARY="$<TARGET_FILE:event-consumer>"
  EVS_LOADER_BINARY="$<TARGET_FILE:event-loader>")
add_dependencies(jetstream_process_test event-consumer event-loader)
add_test(NAME jetstream_leader_kill
  COMMAND jetstream_process_test --gtest_filter=*StreamLeaderKilled*)
add_test(NAME jetstream_loader_kill
  COMMAND jetstream_process_test --gtest_filter=*LoaderKilledMidDrain*)
add_test(NAME jetstream_database_down
  COMMAND jetstream_process_test --gtest_filter=*DatabaseDown*)
add_test(NAME jetstream_no_quorum
  COMMAND jetstream_process_test --gtest_filter=*WithoutQuorum*)
# They kill servers the other tests use (and one stops PostgreSQL): nothing else meanwhile.
set_tests_properties(jetstream_leader_kill jetstream_loader_kill jetstream_database_down
                     jetstream_no_quorum PROPERTIES
  LABELS "integration;nats" TIMEOUT 300 RUN_SERIAL TRUE)
set_tests_properties(jetstream_database_down PROPERTIES LABELS "integration;nats;postgres")

# jetstream_publisher     the publisher and ingest store in-process: sequences, Duplicate acks,
#                         concurrent groups (ThreadSanitizer too)
evs_integration_executable(jetstream_publisher_test
  SOURCES integration/jetstream_publisher_test.cpp LIBS evs::jetstream)
add_test(NAME jetstream_publisher COMMAND jetstream_publisher_test)
set_tests_properties(jetstream_publisher PROPERTIES LABELS "integration;nats;tsan" TIMEOUT 120)

# Ctrl-C through the whole chain of throwaway-server scripts, nested as `make test` nests them.
add_test(NAME with_scripts_interrupt
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/integration/with_scripts_interrupt_test.sh
          ${PROJECT_SOURCE_DIR}/scripts)
set_tests_properties(with_scripts_interrupt PROPERTIES
  LABELS "integration;postgres;mariadb;mysql;nats" TIMEOUT 180)
