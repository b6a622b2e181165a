# Insights reports: their numbers against the workspace, and `ecotone report` in every format.
ecotone_add_test(tst_reports reports/TestReports.cpp LIBS ecotone_ui)
add_dependencies(tst_reports ecotone) # runs the real executable
