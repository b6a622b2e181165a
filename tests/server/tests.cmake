# End-to-end tests of ecotone-server (issue 7): the real executable on loopback, on SQLite and on a throwaway
# PostgreSQL cluster, plus the OpenAPI lint.
if(TARGET ecotone-server)
    ecotone_add_test(test_server_api server/TestServerApi.cpp LIBS Qt6::Network Qt6::Sql)
    add_dependencies(test_server_api ecotone-server)
    set_tests_properties(test_server_api PROPERTIES TIMEOUT 900)

    # The same suite against PostgreSQL: the script makes a cluster in a temporary folder, runs the test with
    # ECOTONE_SERVER_TEST_DATABASE set, and removes the cluster; it fails (never skips) when PostgreSQL cannot run.
    add_test(NAME test_server_api_postgresql
             COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/server/with-postgresql.sh $<TARGET_FILE:test_server_api>)
    set_tests_properties(test_server_api_postgresql PROPERTIES
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;ECOTONE_SERVER_BINARY=$<TARGET_FILE:ecotone-server>"
        TIMEOUT 900)

endif()
