# MySQL tests, included by tests/CMakeLists.txt. They read EVS_TEST_MYSQL_URL and the other
# variables that scripts/with-mysql exports, and fail, never skip, without them. The store
# chooses its dialect by itself here: MySQL must get the portable one.
#
#   event_store_contract.mysql, consumer_api.mysql   the backend suites on MySQL
#   mysql_consumers       two stores on one database, overlapping event_ids stored once
#   mysql_dialect         the portable dialect chosen and used; the native one refused; the
#                         collation and statement timeout MySQL spells its own way
#   mysql_consumer_process  mariadb_consumer_process on MySQL: the server stopped, killed and
#                         frozen under HTTP load, kill -9 of the consumer, exit code 2 at start-up
#   with_mysql            the throwaway-server script itself

add_test(NAME with_mysql
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/integration/with_mysql_server_test.sh mysql
          ${PROJECT_SOURCE_DIR}/scripts/with-mysql)
set_tests_properties(with_mysql PROPERTIES LABELS "integration;mysql" TIMEOUT 300)

add_test(NAME event_store_contract.mysql COMMAND event_store_contract_test --gtest_filter=*/mysql)
add_test(NAME consumer_api.mysql COMMAND consumer_api_test --gtest_filter=*/mysql)
add_test(NAME mysql_consumers COMMAND two_consumers_test --gtest_filter=*/mysql)
add_test(NAME mysql_dialect COMMAND mariadb_dialect_test --gtest_filter=MysqlDialect.*:*/mysql)
set_tests_properties(event_store_contract.mysql consumer_api.mysql mysql_consumers mysql_dialect
  PROPERTIES LABELS "integration;mysql;tsan" TIMEOUT 300)

add_test(NAME mysql_consumer_process COMMAND mariadb_consumer_process_test)
# Stops, kills and freezes the shared server: nothing else may run meanwhile.
set_tests_properties(mysql_consumer_process PROPERTIES
  LABELS "integration;mysql" TIMEOUT 600 RUN_SERIAL TRUE ENVIRONMENT EVS_TEST_SERVER=mysql)
