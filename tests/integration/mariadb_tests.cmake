# MariaDB-only tests, included by tests/CMakeLists.txt. They read EVS_TEST_MARIADB_URL and the
# other variables that scripts/with-mariadb exports, and fail, never skip, without them.
#
#   with_mariadb        the throwaway-server script itself

add_test(NAME with_mariadb
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/integration/with_mariadb_test.sh
          ${PROJECT_SOURCE_DIR}/scripts/with-mariadb)
set_tests_properties(with_mariadb PROPERTIES LABELS "integration;mariadb" TIMEOUT 300)
