# bench_mapping: partner-switch time of the Account Mapping pane's overlap computation on a large workspace.
add_executable(bench_mapping BenchMapping.cpp)
target_link_libraries(bench_mapping PRIVATE ecotone_models)
