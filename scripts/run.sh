#!/usr/bin/env bash
# Builds Ecotone and opens it on a demo workspace.
#
#   scripts/run.sh [WORKSPACE]
#
# Installs missing packages, builds the `ecotone` target, creates WORKSPACE with `ecotone demo create` if
# it does not exist yet, then opens the app on it. WORKSPACE defaults to
# ${XDG_DATA_HOME:-$HOME/.local/share}/Ecotone/demo.ecotone.
#
# Environment: BUILD_DIR, CMAKE_ARGS, JOBS as for scripts/build.sh;
#   ECOTONE_DEMO_ARGS  options for `ecotone demo create`, e.g. "--partners 50 --accounts 2000 --seed 7".
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }
if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
    usage
    exit 0
fi
if (($# > 1)); then
    usage >&2
    exit 2
fi

workspace=${1:-"${XDG_DATA_HOME:-$HOME/.local/share}/Ecotone/demo.ecotone"}
[[ "$workspace" == /* ]] || workspace="$PWD/$workspace" # relative to where the user ran us
cd "$root"
build_dir=${BUILD_DIR:-build}

"$root/scripts/build.sh" ecotone

# Where app/CMakeLists.txt puts the executable; search the tree if it moved.
app=
for candidate in "$build_dir/app/ecotone" "$build_dir/bin/ecotone" "$build_dir/ecotone"; do
    if [[ -f "$candidate" && -x "$candidate" ]]; then
        app=$candidate
        break
    fi
done
if [[ -z "$app" ]]; then
    app=$(find "$build_dir" -maxdepth 3 -type f -name ecotone -perm -u+x -print -quit)
fi
if [[ -z "$app" ]]; then
    echo "run: the build finished but no ecotone executable was found under $build_dir." >&2
    exit 1
fi

if [[ ! -e "$workspace" ]]; then
    mkdir -p "$(dirname "$workspace")"
    read -r -a demo_args <<<"${ECOTONE_DEMO_ARGS:-}"
    echo "run: creating the demo workspace $workspace"
    "$app" demo create "$workspace" "${demo_args[@]}"
fi

# A GUI needs a display server. macOS and Windows always have one; on Linux look for X11 or Wayland,
# unless the user picked a Qt platform plugin on purpose (offscreen, vnc, ...).
if [[ "$(uname -s)" == Linux && -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && -z "${QT_QPA_PLATFORM:-}" ]]; then
    cat >&2 <<EOF
run: Ecotone is built and the workspace is ready, but there is no display to open a window on
     (neither DISPLAY nor WAYLAND_DISPLAY is set).
     - On a desktop session, run scripts/run.sh from a terminal inside it.
     - Over SSH, use X forwarding (ssh -X) or a virtual display:  xvfb-run -a scripts/run.sh
     - To start the app without any window (it then runs until you stop it with Ctrl+C):
           QT_QPA_PLATFORM=offscreen scripts/run.sh
     Headless commands work without a display, e.g.:
           $app partners list --workspace "$workspace"
EOF
    exit 1
fi

echo "run: opening $workspace"
exec "$app" --workspace "$workspace"
