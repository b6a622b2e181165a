# The Account Mapping pane (docs/mapping.md, "Account Mapping pane").
target_sources(ecotone_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/AccountMappingPane.h ${CMAKE_CURRENT_LIST_DIR}/AccountMappingPane.cpp
    ${CMAKE_CURRENT_LIST_DIR}/HeatMapDelegate.h ${CMAKE_CURRENT_LIST_DIR}/HeatMapDelegate.cpp
    ${CMAKE_CURRENT_LIST_DIR}/MappingDialogs.h ${CMAKE_CURRENT_LIST_DIR}/MappingDialogs.cpp
    ${CMAKE_CURRENT_LIST_DIR}/OverlapModels.h ${CMAKE_CURRENT_LIST_DIR}/OverlapModels.cpp
)
