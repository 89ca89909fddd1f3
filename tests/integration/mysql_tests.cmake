# MySQL tests, included by tests/CMakeLists.txt. They read EVS_TEST_MYSQL_URL and the other
# variables that scripts/with-mysql exports, and fail, never skip, without them.
#
#   with_mysql            the throwaway-server script itself

add_test(NAME with_mysql
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/integration/with_mysql_test.sh
          ${PROJECT_SOURCE_DIR}/scripts/with-mysql)
set_tests_properties(with_mysql PROPERTIES LABELS "integration;mysql" TIMEOUT 300)
