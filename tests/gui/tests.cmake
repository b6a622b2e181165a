ecotone_add_test(tst_mainwindow gui/TestMainWindow.cpp LIBS ecotone_ui)
