ecotone_add_test(tst_dealrooms deals/TestDealRooms.cpp)
