ecotone_add_test(tst_psi psi/TestPsi.cpp)
ecotone_add_test(tst_psicli psi/TestPsiCli.cpp)
add_dependencies(tst_psicli ecotone) # runs the real executable
