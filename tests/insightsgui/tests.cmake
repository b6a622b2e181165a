# Insights (docs/insights.md): pipeline model and the Insights pane.
ecotone_add_test(tst_pipelineinsights insightsgui/TestPipelineInsights.cpp)
ecotone_add_test(tst_insightspane insightsgui/TestInsightsPane.cpp LIBS ecotone_ui)
