# The CRM import dialog (account exports; preview, column mapping, progress and cancel).
target_sources(ecotone_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/ImportAccountsDialog.h
    ${CMAKE_CURRENT_LIST_DIR}/ImportAccountsDialog.cpp)
