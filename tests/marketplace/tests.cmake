# Marketplace (docs/marketplace.md): listings, search, partner fit, collaboration requests, CLI.
ecotone_add_test(tst_listingrepository marketplace/TestListingRepository.cpp)
ecotone_add_test(tst_marketplacesearch marketplace/TestMarketplaceSearch.cpp)
ecotone_add_test(tst_demolistings marketplace/TestDemoListings.cpp)
ecotone_add_test(tst_partnerfit marketplace/TestPartnerFit.cpp)
ecotone_add_test(tst_marketplacecli marketplace/TestMarketplaceCli.cpp)
add_dependencies(tst_marketplacecli ecotone)
ecotone_add_test(tst_collaboration marketplace/TestCollaboration.cpp)
