#!/usr/bin/env bash
# Refreshes translations/*.ts from the sources: German in full, English plural forms only (filled by rule).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
lupdate=$(command -v lupdate || echo /usr/lib/qt6/bin/lupdate)
"$lupdate" -silent -locations relative models ui app -ts translations/ecotone_de.ts
"$lupdate" -silent -pluralonly -locations none models ui app -ts translations/ecotone_en.ts
python3 translations/fill_en_plurals.py translations/ecotone_en.ts
