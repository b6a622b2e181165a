#!/bin/sh
# Server throughput: authenticated small requests (GET /api/v1/me with a bearer token) from 100 concurrent
# connections with wrk, against a real ecotone-server on loopback. Target (issue 7): 2,000 requests/s with
# p95 <= 50 ms. Prints the load average before and after, since other work on the machine skews the figures.
#
#   bench/BenchServer.sh ECOTONE_SERVER [sqlite|postgresql] [SECONDS] [CONNECTIONS]
#   bench/BenchServer.sh ECOTONE_SERVER [sqlite|postgresql] sync [ROWS]
#   ninja -C build bench_server          (SQLite, 30 s, 100 connections)
#   ninja -C build bench_server_sync     (SQLite, 100,000 accounts)
#
# sync: pushes ROWS accounts (10 fields) in batches of 1,000, times the initial pull in pages of 5,000 (wall time
# with JSON parsing in Python, and the server's CPU time), then five rounds of 100 updates pushed and pulled.
#
# postgresql runs the server on a throwaway cluster through tests/server/with-postgresql.sh.
# ECOTONE_SERVER_ARGS adds server options, for example ECOTONE_SERVER_ARGS="--threads 2".
set -eu

here=$(cd "$(dirname "$0")" && pwd)
server=${1:?usage: BenchServer.sh ECOTONE_SERVER [sqlite|postgresql] [SECONDS] [CONNECTIONS]}
backend=${2:-sqlite}
seconds=${3:-30}
connections=${4:-}
[ "$seconds" = sync ] || connections=${connections:-100}
[ "$seconds" != sync ] || connections=${connections:-100000}
[ "$seconds" = sync ] || command -v wrk >/dev/null || { echo "BenchServer.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }

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

if [ "$seconds" = sync ]; then
    echo "backend $backend, sync of ${connections:-100000} accounts, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
    python3 - "http://127.0.0.1:$port" "$pid" "$connections" <<'PY'
import json, sys, time, urllib.request

base, pid, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])

def cpu():
    fields = open('/proc/%s/stat' % pid).read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100.0

def call(method, path, body=None, token=None):
    request = urllib.request.Request(base + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None)
    request.add_header('Content-Type', 'application/json')
    if token:
        request.add_header('Authorization', 'Bearer ' + token)
    with urllib.request.urlopen(request) as reply:
        return reply.read()

token = json.loads(call('POST', '/api/v1/auth/login', {'username': 'bench', 'password': 'bench-password-1'}))['access_token']
org = json.loads(call('GET', '/api/v1/me', token=token))['organization']['id']
hlc = int(time.time() * 1000) << 16
start = time.time()
for first in range(0, rows, 1000):
    changes = []
    for i in range(first, min(rows, first + 1000)):
        hlc += 1
        row = 'a%07d' % i
        changes.append({'id': 'bench:%d' % i, 'device_id': 'bench', 'hlc': hlc, 'table': 'accounts', 'row_id': row,
                        'op': 'insert', 'field': '*',
                        'value': {'id': row, 'owner_id': org, 'name': 'Company %d GmbH' % i,
                                  'website': 'https://c%d.example' % i, 'domain': 'c%d.example' % i, 'country': 'DE',
                                  'industry': 'Software', 'status': 'customer', 'crm_source': 'csv',
                                  'external_id': 'X%d' % i}})
    call('POST', '/api/v1/sync/push', {'changes': changes}, token)
print('push of %d accounts: %.1f s' % (rows, time.time() - start))
cursor = 0
for attempt in range(2):
    c0, start, cursor, count, pages, size = cpu(), time.time(), 0, 0, 0, 0
    while True:
        raw = call('GET', '/api/v1/sync/pull?since=%d&limit=5000' % cursor, token=token)
        page = json.loads(raw)
        count, cursor, pages, size = count + len(page['changes']), page['cursor'], pages + 1, size + len(raw)
        if not page['more']:
            break
    print('initial pull: %d rows, %d pages, %.1f MB: %.2f s wall, server CPU %.2f s'
          % (count, pages, size / 1e6, time.time() - start, cpu() - c0))
for round in range(5):
    changes = [{'id': 'edit%d:%d' % (round, i), 'device_id': 'edit', 'hlc': hlc + round * 1000 + i + 1,
                'table': 'accounts', 'row_id': 'a%07d' % ((i * 7 + round) % rows), 'op': 'update', 'field': 'name',
                'value': 'Renamed %d' % i} for i in range(100)]
    c0, start = cpu(), time.time()
    call('POST', '/api/v1/sync/push', {'cursor': cursor, 'changes': changes}, token)
    pushed = time.time() - start
    start = time.time()
    page = json.loads(call('GET', '/api/v1/sync/pull?since=%d' % cursor, token=token))
    pulled = time.time() - start
    cursor = page['cursor']
    print('100 updates: push %.1f ms, pull of %d rows %.1f ms (server CPU for both %.0f ms)'
          % (pushed * 1000, len(page['changes']), pulled * 1000, (cpu() - c0) * 1000))
PY
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    exit 0
fi

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
