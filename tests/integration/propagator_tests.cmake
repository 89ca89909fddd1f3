# The propagator's integration tests: the real sender against a scripted HTTP server on
# 127.0.0.1 (port 0, tests/support/scripted_server), and the program itself as a process.
# Included from tests/CMakeLists.txt.
set(EVS_PROPAGATOR_IT_DIR ${CMAKE_CURRENT_LIST_DIR})

add_executable(propagator_delivery_test ${EVS_PROPAGATOR_IT_DIR}/propagator_delivery_test.cpp)
target_link_libraries(propagator_delivery_test PRIVATE evs::propagator evs::test_support
                      evs::codec evs_warnings GTest::gtest_main)
add_test(NAME propagator_delivery COMMAND propagator_delivery_test)
set_tests_properties(propagator_delivery PROPERTIES LABELS "integration" TIMEOUT 120)

add_executable(propagator_process_test ${EVS_PROPAGATOR_IT_DIR}/propagator_process_test.cpp)
target_link_libraries(propagator_process_test PRIVATE evs::propagator evs::test_support
                      evs_warnings GTest::gtest_main)
target_compile_definitions(propagator_process_test PRIVATE
                           EVS_PROPAGATOR_BIN="$<TARGET_FILE:event-propagator>")
add_dependencies(propagator_process_test event-propagator)
add_test(NAME propagator_process COMMAND propagator_process_test)
set_tests_properties(propagator_process PROPERTIES LABELS "integration" TIMEOUT 180)

# A test that runs both programs: the propagator and the real consumer.
function(evs_propagator_consumer_test name test_name timeout)
  add_executable(${name} ${EVS_PROPAGATOR_IT_DIR}/${name}.cpp)
  target_link_libraries(${name} PRIVATE evs::test_support evs::propagator
                        PkgConfig::SQLITE3 evs_warnings GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
                             EVS_PROPAGATOR_BIN="$<TARGET_FILE:event-propagator>"
                             EVS_CONSUMER_BINARY="$<TARGET_FILE:event-consumer>"
                             ${ARGN})
  add_dependencies(${name} event-propagator event-consumer)
  add_test(NAME ${test_name} COMMAND ${name})
  set_tests_properties(${test_name} PROPERTIES LABELS "integration;sqlite" TIMEOUT ${timeout})
endfunction()

# End to end: kill -9 either side, every event stored exactly once.
evs_propagator_consumer_test(propagator_e2e_test propagator_e2e 300)

# https through real nginx with a throwaway CA (openssl CLI): API_CA_FILE trusts it, and
# without it the certificate is refused.
find_program(EVS_OPENSSL_BIN openssl REQUIRED)
evs_propagator_consumer_test(propagator_tls_test propagator_tls 180
                             EVS_OPENSSL_BIN="${EVS_OPENSSL_BIN}")

# METRICS_PORT: scrapes of the real propagator sending to the real consumer, exact values after a
# known run, checked by promtool (found in tests/CMakeLists.txt; without it the test fails).
evs_propagator_consumer_test(propagator_metrics_test propagator_metrics 180
                             EVS_PROMTOOL="${evs_promtool_path}")
