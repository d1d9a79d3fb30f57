#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for tests and `make serve-prod`.
#   scripts/pg-server.sh start   # installs postgresql if missing, initdb once, starts; prints the URL
#   scripts/pg-server.sh stop
#   scripts/pg-server.sh url
# PG_DIR (default /tmp/mentoring-pg) holds the cluster, PG_PORT (default 55432) the port.
set -euo pipefail
PG_DIR=${PG_DIR:-/tmp/mentoring-pg}
PG_PORT=${PG_PORT:-55432}
DB=mentoring
URL="postgresql+psycopg://postgres@127.0.0.1:${PG_PORT}/${DB}"
here=$(cd "$(dirname "$0")" && pwd)

as_owner() {
    # initdb and postgres refuse to run as root: run them as the postgres system user then.
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

case "${1:-}" in
start)
    [ -n "$(pg_bin)" ] || "$here/install-system-deps.sh" postgresql
    bin=$(pg_bin)
    if [ ! -f "$PG_DIR/PG_VERSION" ]; then
        mkdir -p "$PG_DIR"
        [ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR"
        as_owner "$bin/initdb" -D "$PG_DIR" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_owner "$bin/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; then
        as_owner "$bin/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w \
            -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
    fi
    as_owner "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" \
        | grep -q 1 || as_owner "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$DB"
    echo "$URL"
    ;;
stop)
    bin=$(pg_bin)
    [ -n "$bin" ] && [ -f "$PG_DIR/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$PG_DIR" -m fast stop >/dev/null 2>&1 || true
    ;;
url)
    echo "$URL"
    ;;
*)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
