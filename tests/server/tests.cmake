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

    # The OpenAPI description must pass a real linter: Redocly CLI from npm (pinned), with warnings as errors.
    # Needs npm (packaging/debian/build-deps.txt) and the npm registry, or a warm npx cache.
    find_program(NPX_PROGRAM npx)
    if(NPX_PROGRAM)
        add_test(NAME server_openapi_lint
                 COMMAND ${NPX_PROGRAM} --yes @redocly/cli@1.34.5 lint --extends=recommended-strict --format=stylish
                         ${PROJECT_SOURCE_DIR}/server/openapi.yaml)
    else()
        # Registered anyway so that a machine without npm fails loudly instead of skipping the lint.
        add_test(NAME server_openapi_lint
                 COMMAND sh -c "echo 'npx not found: install npm (packaging/debian/build-deps.txt)' >&2; exit 1")
    endif()
    set_tests_properties(server_openapi_lint PROPERTIES TIMEOUT 600)
endif()
