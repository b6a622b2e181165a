# Models layer: one QtTest executable per class (see tests/CMakeLists.txt for ecotone_add_test).
ecotone_add_test(tst_hlc models/TestHlc.cpp)
ecotone_add_test(tst_ids models/TestIds.cpp)
ecotone_add_test(tst_workspace models/TestWorkspace.cpp)
ecotone_add_test(tst_changejournal models/TestChangeJournal.cpp)
ecotone_add_test(tst_domains models/TestDomains.cpp)
ecotone_add_test(tst_csv models/TestCsv.cpp)
ecotone_add_test(tst_partnercsv models/TestPartnerCsv.cpp)
ecotone_add_test(tst_demoecosystem models/TestDemoEcosystem.cpp)
