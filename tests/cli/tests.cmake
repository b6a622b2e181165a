ecotone_add_test(tst_cli cli/TestCli.cpp)
add_dependencies(tst_cli ecotone) # runs the real executable
