# Attribution and ecosystem insights (docs/attribution.md): readers, models, CLI, partner network.
ecotone_add_test(tst_attribution_paths attribution/TestAttributionPaths.cpp attribution/AttributionFixtures.h)
ecotone_add_test(tst_attribution_models attribution/TestAttributionModels.cpp attribution/AttributionFixtures.h)
