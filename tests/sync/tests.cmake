# The client sync engine (docs/sync.md). MemoryServer in SyncTestSupport.h is a reference server in the test
# process; the CLI test runs the real ecotone-server.
ecotone_add_test(tst_syncengine sync/TestSyncEngine.cpp sync/SyncTestSupport.h)
