# The client sync engine (docs/sync.md). MemoryServer in SyncTestSupport.h is a small reference server in the test
# process; with ecotone_server_core the same tests also run against the real server's SyncService.
set(ECOTONE_SYNC_TEST_LIBS)
if(TARGET ecotone_server_core)
    set(ECOTONE_SYNC_TEST_LIBS ecotone_server_core)
endif()
ecotone_add_test(tst_syncengine sync/TestSyncEngine.cpp sync/SyncTestSupport.h sync/ServiceServer.h
    LIBS ${ECOTONE_SYNC_TEST_LIBS})
if(TARGET ecotone_server_core)
    target_compile_definitions(tst_syncengine PRIVATE ECOTONE_SYNC_WITH_SERVER)
endif()

ecotone_add_test(tst_syncconvergence sync/TestSyncConvergence.cpp sync/SyncTestSupport.h sync/ServiceServer.h
    LIBS ${ECOTONE_SYNC_TEST_LIBS})
if(TARGET ecotone_server_core)
    target_compile_definitions(tst_syncconvergence PRIVATE ECOTONE_SYNC_WITH_SERVER)
endif()

# A vendor's and a partner's workspace through the real server: agreements, consent, purges.
if(TARGET ecotone_server_core)
    ecotone_add_test(tst_syncsharing sync/TestSyncSharing.cpp sync/SyncTestSupport.h sync/ServiceServer.h
        LIBS ecotone_server_core)
endif()

# The real executables: ecotone sync against ecotone-server on loopback.
if(TARGET ecotone AND TARGET ecotone-server)
    ecotone_add_test(tst_synccli sync/TestSyncCli.cpp sync/SyncTestSupport.h)
    add_dependencies(tst_synccli ecotone ecotone-server)
endif()
# 1,500 seeded runs (500 against the reference server, 1,000 against SyncService): about 1 to 3 minutes on two
# cores; the budget leaves room for a loaded machine.
set_tests_properties(tst_syncconvergence PROPERTIES TIMEOUT 600)
