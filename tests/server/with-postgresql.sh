#!/bin/sh
# Runs a command (the server test) against a throwaway PostgreSQL cluster: initdb into a temporary folder,
# start it on a free loopback port, create a database, export ECOTONE_SERVER_TEST_DATABASE, run, then stop and
# delete the cluster. PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user.
# Any failure to set up PostgreSQL fails the test with the reason: nothing is skipped.
set -eu

fail() { echo "with-postgresql.sh: $*" >&2; exit 1; }

[ $# -ge 1 ] || fail "usage: with-postgresql.sh COMMAND [ARGS...]"

BIN=""
for dir in ${ECOTONE_PG_BINDIR:-} $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then BIN=$dir; break; fi
done
[ -n "$BIN" ] || fail "PostgreSQL server binaries (initdb, pg_ctl) not found; install the postgresql package"

ROOT=$(mktemp -d /tmp/ecotone-pg.XXXXXX)
RUN=""
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || fail "running as root but there is no postgres user to own the cluster"
    chown postgres "$ROOT"
    RUN="runuser -u postgres --"
fi

cleanup() {
    if [ -f "$ROOT/data/postmaster.pid" ]; then
        $RUN "$BIN/pg_ctl" -D "$ROOT/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$ROOT"
}
trap cleanup EXIT INT TERM

$RUN "$BIN/initdb" -D "$ROOT/data" -U ecotone -A trust -E UTF8 --no-locale >"$ROOT/initdb.log" 2>&1 \
    || { cat "$ROOT/initdb.log" >&2; fail "initdb failed"; }

# A free port: ask the kernel for one, then hand it to PostgreSQL (retry a few times in case it is taken).
started=""
for attempt in 1 2 3 4 5; do
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    if $RUN "$BIN/pg_ctl" -D "$ROOT/data" -l "$ROOT/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$ROOT -c fsync=off" start >/dev/null 2>&1
    then
        started=yes
        break
    fi
done
[ -n "$started" ] || { cat "$ROOT/server.log" >&2 2>/dev/null; fail "PostgreSQL did not start"; }

# The server connects as an ordinary role that owns the database, as in production: a superuser would bypass
# the row-level security the server sets up.
# CREATEROLE lets its first migration create the NOLOGIN role ecotone_app that requests run under.
"$BIN/createuser" -h 127.0.0.1 -p "$PORT" -U ecotone --createrole ecotone_server || fail "cannot create the server's role"
"$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U ecotone -O ecotone_server ecotone_test \
    || fail "cannot create the test database"

export ECOTONE_SERVER_TEST_DATABASE="postgresql://ecotone_server@127.0.0.1:$PORT/ecotone_test"
echo "with-postgresql.sh: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on port $PORT"
status=0
"$@" || status=$?
exit $status
