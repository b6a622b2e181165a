# The Sync pane (docs/sync.md): sign-in, sync on a worker thread, the conflict inbox; passwords in the system keychain.
find_package(Qt6Keychain REQUIRED)
target_sources(ecotone_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/CredentialStore.h ${CMAKE_CURRENT_LIST_DIR}/CredentialStore.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ConflictEditDialog.h ${CMAKE_CURRENT_LIST_DIR}/ConflictEditDialog.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SyncPane.h ${CMAKE_CURRENT_LIST_DIR}/SyncPane.cpp
)
target_link_libraries(ecotone_ui PUBLIC Qt6Keychain::Qt6Keychain)
