# bench_marketplace: keystroke-to-results time of the marketplace search on 100,000 listings, against a LIKE scan.
add_executable(bench_marketplace BenchMarketplace.cpp)
target_link_libraries(bench_marketplace PRIVATE ecotone_models)
