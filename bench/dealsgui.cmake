# Deal Rooms pane: board open until painted on 100,000 rooms (docs/BENCHMARKS.md).
add_executable(bench_dealsgui BenchDealsGui.cpp)
target_link_libraries(bench_dealsgui PRIVATE ecotone_ui Qt6::Test)
