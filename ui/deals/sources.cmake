# The Deal Rooms pane (docs/deals.md, "Deal Rooms pane").
target_sources(ecotone_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/BoardColumnModel.h ${CMAKE_CURRENT_LIST_DIR}/BoardColumnModel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/CardDelegate.h ${CMAKE_CURRENT_LIST_DIR}/CardDelegate.cpp
    ${CMAKE_CURRENT_LIST_DIR}/DealRoomsPane.h ${CMAKE_CURRENT_LIST_DIR}/DealRoomsPane.cpp
    ${CMAKE_CURRENT_LIST_DIR}/DealTableModel.h ${CMAKE_CURRENT_LIST_DIR}/DealTableModel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/MoveStageCommand.h ${CMAKE_CURRENT_LIST_DIR}/MoveStageCommand.cpp
    ${CMAKE_CURRENT_LIST_DIR}/DealPages.h ${CMAKE_CURRENT_LIST_DIR}/DealPages.cpp
    ${CMAKE_CURRENT_LIST_DIR}/RoomView.h ${CMAKE_CURRENT_LIST_DIR}/RoomView.cpp
    ${CMAKE_CURRENT_LIST_DIR}/RoomExport.h ${CMAKE_CURRENT_LIST_DIR}/RoomExport.cpp
    ${CMAKE_CURRENT_LIST_DIR}/StageEditorDialog.h ${CMAKE_CURRENT_LIST_DIR}/StageEditorDialog.cpp
)
