#!/usr/bin/env bash
# Runs the README's two quick-start commands on a fresh, minimal Debian 12 root, as a new user would.
#
#   sudo scripts/fresh-machine-check.sh
#
# 1. debootstrap --variant=minbase bookworm into a temporary folder (from Debian's archive);
# 2. copies a clean clone of HEAD (committed work only) into it;
# 3. inside it (chroot, with /proc, /sys and /dev mounted), as root with a bare environment:
#      scripts/test.sh                          every test must pass
#      xvfb-run scripts/run.sh                  must open the main window on the demo workspace
#    The window is found by its title ("demo — Ecotone", the demo workspace open) and a screenshot is saved;
# 4. prints a summary (packages installed, minutes per step, tests passed), unmounts and deletes the root.
#
# Needs root (debootstrap, chroot, mount) and debootstrap on the host (apt-get install debootstrap: this script
# never installs or removes anything on the host). Disk: about 6 GB under FRESH_WORKDIR while it runs (the
# root with its packages ~2.5 GB, the build tree ~3 GB); nothing is left behind. Takes about an hour on two
# cores (a cold build with an empty ccache; measured 32 min for scripts/test.sh on an otherwise idle machine).
# Not run by CI.
#
# Environment:
#   FRESH_WORKDIR  where the temporary root goes (default /var/tmp)
#   FRESH_MIRROR   Debian mirror (default http://deb.debian.org/debian)
#   FRESH_KEEP=1   keep the root (still unmounted) for inspection; prints where it is
#   FRESH_OUTPUT   where the log, summary and screenshot are copied (default build/fresh-machine)
#   FRESH_CCACHE_DIR  a compiler cache to lend the root (e.g. "$(ccache -k cache_dir)"); compilers are matched by
#                  content, so a second run of this check reuses what the first one compiled. Packages are still installed from nothing, and a header the root lacks
#                  still fails the build (ccache checks every include file of a cached compile).
#
# The network is the host's: its resolv.conf, and the certificate authorities it trusts for TLS (a TLS-inspecting
# proxy's, say, from NODE_EXTRA_CA_CERTS or /etc/ssl/certs/ca-certificates.crt) are given to npm in the root.
# Those are properties of the network, not packages the project needs.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mirror=${FRESH_MIRROR:-http://deb.debian.org/debian}
output=${FRESH_OUTPUT:-$repo/build/fresh-machine}

say() { printf 'fresh-machine: %s\n' "$*" >&2; }
fail() {
    say "$*"
    exit 1
}

((EUID == 0)) || fail "needs root (debootstrap, chroot and mount): sudo $0"
command -v debootstrap >/dev/null 2>&1 || fail "needs debootstrap on the host: apt-get install debootstrap"
command -v git >/dev/null 2>&1 || fail "needs git on the host"

work=$(mktemp -d "${FRESH_WORKDIR:-/var/tmp}/ecotone-fresh.XXXXXX")
root=$work/root
mkdir -p "$root" "$output"
log=$output/fresh-machine.log
: >"$log"

unmount_all() {
    # Deepest first; lazily as a last resort so a stray process cannot keep the host's /dev in the tree.
    local m
    for m in $(findmnt -rn -o TARGET | grep -F "$root/" | sort -r); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
}
cleanup() {
    local rc=$?
    # Stop whatever the tests left running inside the root before unmounting.
    for pid in $(ls /proc | grep -E '^[0-9]+$'); do
        [[ "$(readlink "/proc/$pid/root" 2>/dev/null)" == "$root" ]] && kill -9 "$pid" 2>/dev/null || true
    done
    unmount_all
    if findmnt -rn -o TARGET | grep -qF "$root/"; then
        say "something is still mounted under $root; not deleting it (unmount by hand, then rm -rf $work)"
    elif [[ "${FRESH_KEEP:-}" == 1 ]]; then
        say "kept the root at $root"
    else
        rm -rf --one-file-system "$work"
    fi
    exit "$rc"
}
trap cleanup EXIT INT TERM

minutes() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.1f", (e - s) / 60 }'; }

# --- 1. A minimal Debian 12 ------------------------------------------------------------------------------------
t0=$(date +%s)
say "debootstrap bookworm (minbase) into $root"
debootstrap --variant=minbase bookworm "$root" "$mirror" >>"$log" 2>&1 || {
    tail -n 20 "$log" >&2
    fail "debootstrap failed (log: $log)"
}
# What a Debian 12 installation's sources are: the release, its updates and security.
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
cp /etc/resolv.conf "$root/etc/resolv.conf"
network_ca=""
for candidate in "${NODE_EXTRA_CA_CERTS:-}" /etc/ssl/certs/ca-certificates.crt; do
    if [[ -n "$candidate" && -r "$candidate" ]]; then
        cp "$candidate" "$root/etc/fresh-network-ca.crt"
        network_ca=/etc/fresh-network-ca.crt
        break
    fi
done
# Services must not start inside the chroot (postgresql's package would start a cluster and keep it running).
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
base_packages=$(chroot "$root" dpkg-query -W -f='${Package}\n' | wc -l)
base_size=$(du -sm --one-file-system "$root" | cut -f1)
t1=$(date +%s)

# --- 2. A clean clone of HEAD -------------------------------------------------------------------------------
mkdir -p "$root/root"
git clone -q --no-local "$repo" "$root/root/ecotone"
commit=$(git -C "$root/root/ecotone" rev-parse --short HEAD)
say "cloned $commit into /root/ecotone"

mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --rbind /dev "$root/dev"
mount --make-rslave "$root/dev"
cache_env=()
if [[ -n "${FRESH_CCACHE_DIR:-}" ]]; then
    mkdir -p "$root/ccache"
    mount --bind "$FRESH_CCACHE_DIR" "$root/ccache"
    # By content: the root's compiler is another file than the host's (the default, mtime, never matches).
    cache_env=(CCACHE_DIR=/ccache CCACHE_COMPILERCHECK=content)
fi

in_root() {
    chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb ${network_ca:+NODE_EXTRA_CA_CERTS=$network_ca} \
        "${cache_env[@]}" PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        bash -c "cd /root/ecotone && $1"
}

# --- 3a. The test command ---------------------------------------------------------------------------------------
say "running scripts/test.sh inside the root (log: $log)"
set +e
in_root 'scripts/test.sh' >>"$log" 2>&1
test_rc=$?
set -e
t2=$(date +%s)
tests_line=$(grep -E 'tests passed, [0-9]+ tests failed out of' "$log" | tail -n 1 || true)
installed_line=$(grep -E '^install-deps: installing' "$log" | head -n 1 || true)
packages_after=$(chroot "$root" dpkg-query -W -f='${Package}\n' | wc -l)

# --- 3b. The run command, on a virtual display ------------------------------------------------------------------
run_rc=1
title=""
# The run command is the other README command: checked whatever the tests said.
if true; then
    say "running xvfb-run scripts/run.sh inside the root"
    # For the check only (after both commands' own installs): xwininfo finds the window, xwd takes the picture.
    in_root 'DEBIAN_FRONTEND=noninteractive apt-get -q -y --no-install-recommends install x11-utils x11-apps' \
        >>"$log" 2>&1
    set +e
    in_root 'timeout 900 xvfb-run -a -s "-screen 0 1280x800x24" bash -c "
        scripts/run.sh >/tmp/run.log 2>&1 &
        for i in \$(seq 1 600); do
            if xwininfo -root -tree | grep -qE \"demo.*Ecotone\"; then
                sleep 5
                xwininfo -root -tree | grep -E \"demo.*Ecotone\" | head -n 1 >/tmp/window.txt
                xwd -root -silent >/tmp/window.xwd
                kill \$!
                exit 0
            fi
            sleep 1
        done
        exit 1"' >>"$log" 2>&1
    run_rc=$?
    set -e
    cat "$root/tmp/run.log" >>"$log" 2>/dev/null || true
    title=$(cat "$root/tmp/window.txt" 2>/dev/null || true)
    if [[ -f "$root/tmp/window.xwd" ]]; then
        # XWD (ZPixmap, 24/32 bits per pixel) to PNG with Python's standard library.
        python3 - "$root/tmp/window.xwd" "$output/fresh-machine-window.png" <<'PY' || say "could not convert the screenshot"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
h = struct.unpack(">25I", data[:100])
header, fmt, depth, width, height = h[0], h[2], h[3], h[4], h[5]
byte_order, bpp, stride, ncolors = h[7], h[11], h[12], h[19]
assert fmt == 2 and bpp in (24, 32), (fmt, bpp)
pixels = data[header + ncolors * 12:]
step = bpp // 8
rows = []
for y in range(height):
    line = pixels[y * stride:y * stride + width * step]
    out = bytearray(b"\0")
    for x in range(0, len(line), step):
        p = line[x:x + step]
        b, g, r = (p[0], p[1], p[2]) if byte_order == 0 else (p[-1], p[-2], p[-3])
        out += bytes((r, g, b))
    rows.append(bytes(out))
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + chunk(b"IEND", b"")
open(sys.argv[2], "wb").write(png)
PY
    fi
fi
t3=$(date +%s)
root_size=$(du -sm --one-file-system "$root" | cut -f1)

# --- 4. Summary ------------------------------------------------------------------------------------------------
summary=$output/fresh-machine-summary.txt
{
    echo "Fresh Debian 12 check of $commit on $(date -u +%Y-%m-%d) ($(nproc) cores)"
    echo "  minimal root: $base_packages packages, ${base_size} MB, $(minutes "$t0" "$t1") min (debootstrap)"
    echo "  scripts/test.sh: exit $test_rc in $(minutes "$t1" "$t2") min; ${tests_line:-no ctest summary}"
    echo "    ${installed_line:-install-deps installed nothing}"
    echo "    packages after: $packages_after ($((packages_after - base_packages)) installed with their dependencies)"
    if ((run_rc == 0)); then
        echo "  xvfb-run scripts/run.sh: window opened in $(minutes "$t2" "$t3") min: ${title# }"
    else
        echo "  xvfb-run scripts/run.sh: no window on the demo workspace (exit $run_rc)"
    fi
    echo "  disk used by the root at the end: ${root_size} MB${FRESH_CCACHE_DIR:+ (compiler cache lent from $FRESH_CCACHE_DIR)}"
} | tee "$summary"

((test_rc == 0 && run_rc == 0)) || fail "the fresh machine check failed (log: $log)"
say "passed; summary in $summary, screenshot in $output/fresh-machine-window.png"
