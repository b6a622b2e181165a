# CRM opportunities: reading exports, importing them into a workspace, the commands, the demo's opportunities.
ecotone_add_test(tst_crmopportunities opportunities/TestCrmOpportunities.cpp)
ecotone_add_test(tst_opportunityimport opportunities/TestOpportunityImport.cpp)
ecotone_add_test(tst_opportunitiescli opportunities/TestOpportunitiesCli.cpp)
add_dependencies(tst_opportunitiescli ecotone) # runs the real executable
ecotone_add_test(tst_demoopportunities opportunities/TestDemoOpportunities.cpp)
