# The Insights pane (docs/insights.md): pipeline, attribution side by side, partner network.
target_sources(ecotone_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/PartnerScorecard.h ${CMAKE_CURRENT_LIST_DIR}/PartnerScorecard.cpp
    ${CMAKE_CURRENT_LIST_DIR}/InsightsModels.h ${CMAKE_CURRENT_LIST_DIR}/InsightsModels.cpp
    ${CMAKE_CURRENT_LIST_DIR}/InsightsPane.h ${CMAKE_CURRENT_LIST_DIR}/InsightsPane.cpp
    ${CMAKE_CURRENT_LIST_DIR}/NetworkView.h ${CMAKE_CURRENT_LIST_DIR}/NetworkView.cpp
)
