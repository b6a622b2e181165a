ecotone_add_test(tst_psi psi/TestPsi.cpp)
