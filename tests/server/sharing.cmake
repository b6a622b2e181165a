# The authorization matrix of docs/sync.md ("Who may read and write what") against the real ecotone-server: every
# endpoint x role x organization x agreement state, on SQLite and on a throwaway PostgreSQL cluster.
if(TARGET ecotone-server)
    ecotone_add_test(test_server_sharing server/TestServerSharing.cpp LIBS Qt6::Network Qt6::Sql)
    add_dependencies(test_server_sharing ecotone-server)
    set_tests_properties(test_server_sharing PROPERTIES TIMEOUT 600)

    # The same matrix on PostgreSQL: with-postgresql.sh makes a cluster in a temporary folder, runs the test with
    # ECOTONE_SERVER_TEST_DATABASE set, and removes the cluster; it fails (never skips) when PostgreSQL cannot run.
    add_test(NAME test_server_sharing_postgresql
             COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/server/with-postgresql.sh $<TARGET_FILE:test_server_sharing>)
    set_tests_properties(test_server_sharing_postgresql PROPERTIES
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;ECOTONE_SERVER_BINARY=$<TARGET_FILE:ecotone-server>"
        TIMEOUT 600)
endif()
