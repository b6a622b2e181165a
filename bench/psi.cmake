add_executable(bench_psi BenchPsi.cpp)
target_link_libraries(bench_psi PRIVATE ecotone_models)
