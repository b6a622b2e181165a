# The CRM import dialog on real files and a real workspace, with screenshots.
ecotone_add_test(tst_importdialog imports/TestImportDialog.cpp LIBS ecotone_ui)
