ecotone_add_test(tst_dealrooms deals/TestDealRooms.cpp)
ecotone_add_test(tst_dealconflicts deals/TestDealConflicts.cpp)
ecotone_add_test(tst_dealstatemachines deals/TestDealStateMachines.cpp)
ecotone_add_test(tst_demodeals deals/TestDemoDeals.cpp)
ecotone_add_test(tst_dealscli deals/TestDealsCli.cpp)
add_dependencies(tst_dealscli ecotone) # runs the real executable
