# Sync through a real ecotone-server (issue 7): initial sync of 100,000 records, incremental syncs of 100 changes.
# `ninja bench_sync_run` builds both and runs it; figures go to docs/BENCHMARKS.md.
if(TARGET ecotone-server)
    add_executable(bench_sync BenchSync.cpp)
    target_link_libraries(bench_sync PRIVATE ecotone_models)
    add_custom_target(bench_sync_run
        COMMAND bench_sync --server $<TARGET_FILE:ecotone-server>
        DEPENDS bench_sync ecotone-server
        USES_TERMINAL
        COMMENT "sync: 100,000 records initial, 100-change incremental")
endif()
