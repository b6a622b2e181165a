# The Marketplace pane (docs/marketplace.md, "Marketplace pane").
target_sources(ecotone_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/ListingResultModel.h ${CMAKE_CURRENT_LIST_DIR}/ListingResultModel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ListingEditorDialog.h ${CMAKE_CURRENT_LIST_DIR}/ListingEditorDialog.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ListingCardDelegate.h ${CMAKE_CURRENT_LIST_DIR}/ListingCardDelegate.cpp
    ${CMAKE_CURRENT_LIST_DIR}/MarketplacePages.h ${CMAKE_CURRENT_LIST_DIR}/MarketplacePages.cpp
    ${CMAKE_CURRENT_LIST_DIR}/MarketplacePane.h ${CMAKE_CURRENT_LIST_DIR}/MarketplacePane.cpp
)
