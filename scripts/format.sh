#!/usr/bin/env bash
# Formats every tracked *.cpp and *.h in place per .clang-format (the check scripts/test.sh runs).
#
#   scripts/format.sh            all tracked sources
#   scripts/format.sh FILE...    only these files
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if (($# > 0)); then
    exec clang-format -i -- "$@"
fi
cd "$root"
git ls-files -z -- '*.cpp' '*.h' | xargs -0 -r clang-format -i
