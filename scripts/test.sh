#!/usr/bin/env bash
# The test command (CI runs exactly this through .ci/run):
#
#   scripts/test.sh
#
# 1. installs missing packages (scripts/install-deps.sh);
# 2. checks that every tracked *.cpp and *.h is formatted per .clang-format;
# 3. builds every target with warnings as errors (-DECOTONE_WERROR=ON);
# 4. runs ctest with QT_QPA_PLATFORM=offscreen, so no display is needed.
#
# Exit code: ctest's when the tests fail; otherwise 1 if formatting is off; 0 when all is well.
# A build failure stops the run with the build's exit code.
#
# Environment: BUILD_DIR, CMAKE_ARGS (added after -DECOTONE_WERROR=ON), JOBS as for scripts/build.sh;
#   CTEST_PARALLEL_LEVEL  tests run at once (ctest reads it; default 1)
#   CTEST_TIMEOUT         seconds for a test that sets no TIMEOUT of its own (default 600)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

build_dir=${BUILD_DIR:-build}

"$root/scripts/install-deps.sh"

# --- Formatting ------------------------------------------------------------------------------------
format_ok=1
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -d '' sources < <(git ls-files -z -- '*.cpp' '*.h')
else
    mapfile -d '' sources < <(find . \( -path ./build -o -path './build*' -o -path ./.git \) -prune -o \
        -type f \( -name '*.cpp' -o -name '*.h' \) -print0)
fi
if ((${#sources[@]} > 0)); then
    echo "test: checking the format of ${#sources[@]} files with $(clang-format --version)"
    if ! printf '%s\0' "${sources[@]}" | xargs -0 clang-format --dry-run --Werror; then
        format_ok=0
        echo "test: some files are not formatted; fix them with scripts/format.sh" >&2
    fi
fi

# --- Build and tests -------------------------------------------------------------------------------
CMAKE_ARGS="-DECOTONE_WERROR=ON${CMAKE_ARGS:+ $CMAKE_ARGS}" ECOTONE_SKIP_DEPS=1 BUILD_DIR="$build_dir" \
    "$root/scripts/build.sh"

export QT_QPA_PLATFORM=offscreen
# Qt warns on every start when this is missing (containers, CI); give it a private one.
if [[ -z "${XDG_RUNTIME_DIR:-}" ]]; then
    XDG_RUNTIME_DIR=$(mktemp -d)
    export XDG_RUNTIME_DIR
    trap 'rm -rf "$XDG_RUNTIME_DIR"' EXIT
fi

set +e
ctest --test-dir "$build_dir" --output-on-failure --no-tests=error --timeout "${CTEST_TIMEOUT:-600}"
ctest_rc=$?
set -e

if ((ctest_rc != 0)); then
    echo "test: ctest failed (exit code $ctest_rc)" >&2
    ((format_ok)) || echo "test: formatting is off as well (see above)" >&2
    exit "$ctest_rc"
fi
if ((!format_ok)); then
    echo "test: all tests passed, but formatting is off (see above)" >&2
    exit 1
fi
echo "test: all tests passed and every file is formatted"
