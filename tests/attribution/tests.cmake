# Attribution and ecosystem insights (docs/attribution.md): readers, models, CLI, partner network.
ecotone_add_test(tst_attribution_paths attribution/TestAttributionPaths.cpp attribution/AttributionFixtures.h)
ecotone_add_test(tst_attribution_models attribution/TestAttributionModels.cpp attribution/AttributionFixtures.h)
# Betweenness is compared with networkx (python3-networkx) through a small script.
ecotone_add_test(tst_attribution_network attribution/TestAttributionNetwork.cpp)
target_compile_definitions(tst_attribution_network PRIVATE
    NETWORKX_SCRIPT="${CMAKE_CURRENT_SOURCE_DIR}/attribution/betweenness_networkx.py")
ecotone_add_test(tst_attribution_cli attribution/TestAttributionCli.cpp)
add_dependencies(tst_attribution_cli ecotone)
ecotone_add_test(tst_attribution_locks attribution/TestAttributionLocks.cpp)
ecotone_add_test(tst_attribution_workspace attribution/TestAttributionWorkspace.cpp)
