#!/usr/bin/env bash
# A Redis server on loopback for the sign-in rate limit in production mode.
#   scripts/redis-server.sh start   # installs redis-server if missing, starts it; prints the URL
#   scripts/redis-server.sh stop
# REDIS_DIR (default instance/redis) holds its files, REDIS_PORT (default 56379) the port.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
REDIS_DIR=${REDIS_DIR:-$here/../instance/redis}
REDIS_PORT=${REDIS_PORT:-56379}

case "${1:-}" in
start)
    command -v redis-server >/dev/null || "$here/install-system-deps.sh" redis-server
    mkdir -p "$REDIS_DIR"
    if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
        redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$REDIS_DIR" \
            --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" --save "" --appendonly no
        for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    fi
    echo "redis://127.0.0.1:$REDIS_PORT/0"
    ;;
stop)
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
