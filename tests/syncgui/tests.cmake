# The Sync pane (docs/sync.md) in the real main window against a real ecotone-server on loopback.
if(TARGET ecotone-server)
    ecotone_add_test(tst_syncpane syncgui/TestSyncPane.cpp LIBS ecotone_ui)
    add_dependencies(tst_syncpane ecotone-server)
endif()
