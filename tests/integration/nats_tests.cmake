# JetStream tests, included by tests/CMakeLists.txt. They read NATS_URL and the other variables
# that scripts/with-nats exports (a three-node cluster), and fail, never skip, without them.
#
#   with_nats           the throwaway-cluster script itself

add_test(NAME with_nats
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/integration/with_nats_test.sh
          ${PROJECT_SOURCE_DIR}/scripts/with-nats)
set_tests_properties(with_nats PROPERTIES LABELS "integration;nats" TIMEOUT 120)
