# Account mapping engine: one QtTest executable per class (see tests/CMakeLists.txt for ecotone_add_test).
ecotone_add_test(tst_companynames mapping/TestCompanyNames.cpp)
ecotone_add_test(tst_crmaccounts mapping/TestCrmAccounts.cpp)
ecotone_add_test(tst_matcher mapping/TestMatcher.cpp)
ecotone_add_test(tst_mappingcli mapping/TestMappingCli.cpp)
add_dependencies(tst_mappingcli ecotone) # runs the real executable
ecotone_add_test(tst_accountsimport mapping/TestAccountsImport.cpp)
add_dependencies(tst_accountsimport ecotone) # runs the real executable
ecotone_add_test(tst_csvpreview mapping/TestCsvPreview.cpp)
ecotone_add_test(tst_accountimport mapping/TestAccountImport.cpp)
