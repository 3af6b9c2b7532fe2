#!/usr/bin/env bash
# Start the local PostgreSQL and Redis when they do not respond. Both are
# installed on the development machine, and this script only starts them.
set -euo pipefail

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    echo "PostgreSQL is not answering on 127.0.0.1:5432; starting it."
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    echo "Redis is not answering on 127.0.0.1:6379; starting it."
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi

pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL did not start." >&2; exit 1; }
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis did not start." >&2; exit 1; }
