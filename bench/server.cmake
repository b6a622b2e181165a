# ecotone-server throughput with wrk (issue 7): `ninja bench_server` runs bench/BenchServer.sh on SQLite.
# For PostgreSQL: bench/BenchServer.sh build/server/ecotone-server postgresql
if(TARGET ecotone-server)
    add_custom_target(bench_server
        COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/BenchServer.sh $<TARGET_FILE:ecotone-server> sqlite 30 100
        DEPENDS ecotone-server
        USES_TERMINAL
        COMMENT "wrk: authenticated GET /api/v1/me, 100 connections, 30 s")
    add_custom_target(bench_server_sync
        COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/BenchServer.sh $<TARGET_FILE:ecotone-server> sqlite sync 100000
        DEPENDS ecotone-server
        USES_TERMINAL
        COMMENT "sync: push 100,000 accounts, initial pull, incremental push and pull of 100 changes")
endif()
