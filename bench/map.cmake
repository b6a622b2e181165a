# bench_map: generated paired CRM exports with ground truth, `ecotone map` end to end, pandas for comparison.
add_executable(bench_map BenchMap.cpp)
target_link_libraries(bench_map PRIVATE ecotone_flags Qt6::Core)
target_compile_definitions(bench_map PRIVATE ECOTONE_BINARY="$<TARGET_FILE:ecotone>"
                                             ECOTONE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_dependencies(bench_map ecotone)
