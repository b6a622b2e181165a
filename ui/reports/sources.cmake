# Insights reports: PDF, CSV, JSON and chart images, for the Insights pane and `ecotone report`.
target_sources(ecotone_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/Reports.h ${CMAKE_CURRENT_LIST_DIR}/Reports.cpp
)
