#!/usr/bin/env bash
# Installs missing packages, configures the build tree if needed and builds.
#
#   scripts/build.sh                 build every target
#   scripts/build.sh ecotone tests   build only these targets
#
# Environment:
#   BUILD_DIR   build tree (default: build, relative to the repository root)
#   CMAKE_ARGS  extra arguments for the configure step, e.g. "-DECOTONE_WERROR=ON"; when set, the
#               tree is (re)configured with them. CMake keeps them in the cache for later builds.
#   JOBS        parallel build jobs (default: Ninja's choice)
#   ECOTONE_SKIP_DEPS=1  do not check for Debian packages
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

[[ "${ECOTONE_SKIP_DEPS:-}" == 1 ]] || "$root/scripts/install-deps.sh"

build_dir=${BUILD_DIR:-build}
read -r -a extra_args <<<"${CMAKE_ARGS:-}"

# ccache keys on paths: relative to the repository, a second clone (CI's) reuses this one's cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"

# A cache without build.ninja is either another generator's tree (refuse: CMake cannot switch) or a configure
# that failed or was interrupted (configure again: that is what the user wants after installing a package).
reconfigure=0
if [[ -f "$build_dir/CMakeCache.txt" ]]; then
    generator=$(sed -n 's/^CMAKE_GENERATOR:INTERNAL=//p' "$build_dir/CMakeCache.txt")
    if [[ -n "$generator" && "$generator" != Ninja ]]; then
        echo "build: $build_dir was configured with the \"$generator\" generator, not Ninja; remove it or set BUILD_DIR." >&2
        exit 1
    fi
    if [[ ! -f "$build_dir/build.ninja" ]]; then
        echo "build: the last configure of $build_dir did not finish; configuring again."
        reconfigure=1
    fi
fi

if [[ ! -f "$build_dir/build.ninja" || $reconfigure == 1 || ${#extra_args[@]} -gt 0 ]]; then
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${extra_args[@]}"
fi

build=(cmake --build "$build_dir")
if [[ -n "${JOBS:-}" ]]; then
    build+=(--parallel "$JOBS")
fi
if (($# > 0)); then
    build+=(--target "$@")
fi
"${build[@]}"
