ecotone_add_test(tst_mainwindow gui/TestMainWindow.cpp LIBS ecotone_ui)
ecotone_add_test(tst_translations gui/TestTranslations.cpp LIBS ecotone_ui)
ecotone_add_test(tst_links gui/TestLinks.cpp LIBS ecotone_ui)
ecotone_add_test(tst_untrustedimage gui/TestUntrustedImage.cpp LIBS ecotone_ui)
