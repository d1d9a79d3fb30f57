#!/usr/bin/env bash
# Production mode on one machine: PostgreSQL and Redis on loopback (unless DATABASE_URL /
# RATELIMIT_STORAGE_URI point elsewhere), gunicorn with WEB_WORKERS workers, and the one
# scheduler process. Ctrl-C stops what this script started.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
WEB_WORKERS=${WEB_WORKERS:-4}
BIND=${BIND:-127.0.0.1:8000}

started_pg="" started_redis=""
cleanup() {
    kill $(jobs -p) 2>/dev/null || true
    wait 2>/dev/null || true
    [ -n "$started_redis" ] && scripts/redis-server.sh stop
    [ -n "$started_pg" ] && PG_DIR=$PWD/instance/postgres PG_PORT=${PROD_PG_PORT:-55433} scripts/pg-server.sh stop
}
trap cleanup EXIT INT TERM

if [ -z "${DATABASE_URL:-}" ]; then
    DATABASE_URL=$(PG_DIR=$PWD/instance/postgres PG_PORT=${PROD_PG_PORT:-55433} scripts/pg-server.sh start)
    started_pg=1
fi
if [ -z "${RATELIMIT_STORAGE_URI:-}" ]; then
    RATELIMIT_STORAGE_URI=$(scripts/redis-server.sh start)
    started_redis=1
fi
export DATABASE_URL RATELIMIT_STORAGE_URI

$BIN/flask --app webapp db upgrade
$BIN/flask --app webapp demo load --if-empty
if [ -z "${SMTP_HOST:-}" ]; then
    # a local mail sink on a port that follows the web port (8000 -> 11025): instances never share one
    export SMTP_PORT=${SMTP_PORT:-$(( ${BIND##*:} + 3025 ))}
    $BIN/python -m aiosmtpd -n -l 127.0.0.1:$SMTP_PORT &
fi
$BIN/flask --app webapp scheduler run &
echo "Serving on http://$BIND with $WEB_WORKERS gunicorn workers on $DATABASE_URL"
# POST /api/v1/runs solves inside the request (up to its time limit, 600 s at most): a worker may
# take that long before gunicorn replaces it. The pages start runs in the background instead.
$BIN/gunicorn --workers "$WEB_WORKERS" --bind "$BIND" --timeout 660 --access-logfile - 'webapp:create_app()' &
wait -n
