# bench_attribution: every attribution model on 1,000,000 paths over 30 partners, and betweenness on 5,000 nodes /
# 100,000 edges against networkx (bench/network_networkx.py, python3-networkx) in the same run.
add_executable(bench_attribution BenchAttribution.cpp)
target_link_libraries(bench_attribution PRIVATE ecotone_models)
target_compile_definitions(bench_attribution PRIVATE
    BENCH_NETWORKX_SCRIPT="${CMAKE_CURRENT_SOURCE_DIR}/network_networkx.py")
