# packaging/debian/build-deps.txt must bring in every Debian package that configure found or the tests run
# (issue: a fresh machine installs with --no-install-recommends). Debian only: elsewhere there is no dpkg.
find_program(DPKG_QUERY_PROGRAM dpkg-query)
if(DPKG_QUERY_PROGRAM)
    add_test(NAME build_deps_complete
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/packaging/check-build-deps.sh
                     ${CMAKE_BINARY_DIR}/CMakeCache.txt ${CMAKE_SOURCE_DIR}/packaging/debian/build-deps.txt)
    set_tests_properties(build_deps_complete PROPERTIES TIMEOUT 120)
endif()
