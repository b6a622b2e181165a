#!/usr/bin/env bash
# Installs the Debian packages in packaging/debian/build-deps.txt that are not installed yet.
#
# Idempotent and quick: when every package is already installed it only asks dpkg-query and returns.
# Runs apt-get non-interactively (through sudo when not root). On a system without apt (macOS, Windows,
# another distribution) it prints what to install by hand and returns 0; see README.md.
#
# Environment: ECOTONE_SKIP_DEPS=1 skips everything (for machines managed some other way).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
list="$root/packaging/debian/build-deps.txt"

say() { printf 'install-deps: %s\n' "$*" >&2; }

if [[ "${ECOTONE_SKIP_DEPS:-}" == 1 ]]; then
    say "ECOTONE_SKIP_DEPS=1: not checking packages."
    exit 0
fi

if [[ ! -r "$list" ]]; then
    say "cannot read $list"
    exit 1
fi

# Package names: drop comments, split on whitespace, skip empty lines.
mapfile -t packages < <(sed -e 's/#.*//' "$list" | tr -s '[:blank:]' '\n' | sed '/^$/d')
if ((${#packages[@]} == 0)); then
    say "no packages listed in $list"
    exit 1
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    say "this is not a Debian-like system (no dpkg/apt-get); install the equivalents of"
    say "packaging/debian/build-deps.txt yourself (README.md has the macOS and Windows steps)."
    exit 0
fi

# One dpkg-query call for all packages. Unknown names print nothing, so they end up missing too.
declare -A installed=()
while read -r name status; do
    [[ "$status" == installed ]] && installed[$name]=1
done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${packages[@]}" 2>/dev/null || true)

# npm is only wanted for npx; a nodejs that bundles npx (NodeSource's conflicts with Debian's npm) will do.
if command -v npx >/dev/null 2>&1; then
    installed[npm]=1
fi

missing=()
for p in "${packages[@]}"; do
    [[ -n "${installed[$p]:-}" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
    exit 0
fi

say "installing ${#missing[@]} missing package(s): ${missing[*]}"

sudo=()
if ((EUID != 0)); then
    if ! command -v sudo >/dev/null 2>&1; then
        say "not root and sudo is not installed; as root run:"
        say "  apt-get update && apt-get install -y ${missing[*]}"
        exit 1
    fi
    sudo=(sudo)
    # No password prompt can be answered without a terminal: fail instead of hanging.
    [[ -t 0 ]] || sudo+=(-n)
fi

apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)

# A fresh machine may have no package lists at all; retry once for a mirror hiccup.
if ! "${apt[@]}" -q update; then
    say "apt-get update failed; retrying in 10 s"
    sleep 10
    "${apt[@]}" -q update
fi
"${apt[@]}" -q -y --no-install-recommends install "${missing[@]}"

say "done."
