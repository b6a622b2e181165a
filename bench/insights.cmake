# Insights pane: open until the first data is painted on the 1,000,000-account demo (docs/insights.md).
add_executable(bench_insights BenchInsights.cpp)
target_link_libraries(bench_insights PRIVATE ecotone_ui Qt6::Test)
