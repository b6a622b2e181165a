#!/bin/sh
# Server throughput: authenticated small requests (GET /api/v1/me with a bearer token) from 100 concurrent
# connections with wrk, against a real ecotone-server on loopback. Target (issue 7): 2,000 requests/s with
# p95 <= 50 ms. Prints the load average before and after, since other work on the machine skews the figures.
#
#   bench/BenchServer.sh ECOTONE_SERVER [sqlite|postgresql] [SECONDS] [CONNECTIONS]
#   ninja -C build bench_server          (SQLite, 30 s, 100 connections)
#
# postgresql runs the server on a throwaway cluster through tests/server/with-postgresql.sh.
# ECOTONE_SERVER_ARGS adds server options, for example ECOTONE_SERVER_ARGS="--threads 2".
set -eu

here=$(cd "$(dirname "$0")" && pwd)
server=${1:?usage: BenchServer.sh ECOTONE_SERVER [sqlite|postgresql] [SECONDS] [CONNECTIONS]}
backend=${2:-sqlite}
seconds=${3:-30}
connections=${4:-100}
command -v wrk >/dev/null || { echo "BenchServer.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }

if [ "$backend" = postgresql ] && [ -z "${ECOTONE_SERVER_TEST_DATABASE:-}" ]; then
    exec sh "$here/../tests/server/with-postgresql.sh" sh "$0" "$server" postgresql "$seconds" "$connections"
fi

work=$(mktemp -d /tmp/ecotone-bench-server.XXXXXX)
pid=""
cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true # the killed server's status must not stop the clean-up (set -e)
    fi
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

if [ "$backend" = postgresql ]; then
    database=$ECOTONE_SERVER_TEST_DATABASE
else
    database="sqlite:$work/server.sqlite"
fi
ECOTONE_SERVER_PASSWORD=bench-password-1 "$server" user add --database "$database" --organization Bench \
    --username bench --role vendor_admin >/dev/null

# shellcheck disable=SC2086 # ECOTONE_SERVER_ARGS holds several arguments, for example "--threads 2"
"$server" --database "$database" --listen 127.0.0.1:0 ${ECOTONE_SERVER_ARGS:-} >"$work/server.out" 2>"$work/server.err" &
pid=$!
i=0
while ! grep -q "listening on" "$work/server.out" 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 100 ] || { cat "$work/server.err" >&2; echo "BenchServer.sh: the server did not start" >&2; exit 1; }
    sleep 0.1
done
port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/server.out")

ECOTONE_TOKEN=$(curl -sf -X POST -H 'Content-Type: application/json' \
    -d '{"username":"bench","password":"bench-password-1"}' "http://127.0.0.1:$port/api/v1/auth/login" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
export ECOTONE_TOKEN

echo "backend $backend, $connections connections, $seconds s, $(nproc) cores, server options: ${ECOTONE_SERVER_ARGS:-none}"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# One second of warm-up, then the measured run. Two wrk threads: the machine has few cores to share.
wrk -t2 -c"$connections" -d1s -s "$here/server.lua" "http://127.0.0.1:$port" >/dev/null
wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s -s "$here/server.lua" "http://127.0.0.1:$port"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
