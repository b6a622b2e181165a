# The client killed mid-sync (issue 7): the real `ecotone sync` against a real ecotone-server, 200 SIGKILLs.
if(TARGET ecotone-server AND TARGET ecotone)
    ecotone_add_test(tst_synccrash synccrash/TestSyncCrash.cpp)
    add_dependencies(tst_synccrash ecotone ecotone-server)
    set_tests_properties(tst_synccrash PROPERTIES TIMEOUT 900)
endif()
