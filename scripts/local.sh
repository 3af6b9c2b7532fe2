#!/usr/bin/env bash
# Start, stop or list the local processes named in the Procfile. Each runs in
# the background with its log in var/log/<name>.log and its process id in
# var/run/<name>.pid; `stop` signals only those process ids.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p var/log var/run var/sinks

start() {
    stop quiet
    while IFS= read -r line; do
        [[ -z "$line" || "$line" == \#* ]] && continue
        name=${line%%:*}
        command=${line#*: }
        setsid nohup bash -c "exec $command" >"var/log/$name.log" 2>&1 </dev/null &
        echo $! >"var/run/$name.pid"
        echo "started $name (pid $!), log var/log/$name.log"
    done <Procfile
}

# Beat and the workers stop first, so that no task runs against a sink or an
# API that is already gone. The provider sinks stop last.
STOP_ORDER=(beat worker-email worker-sms worker-push worker-maintenance web flower)

stop() {
    local quiet=${1:-}
    local pidfiles=()
    for name in "${STOP_ORDER[@]}"; do
        pidfiles+=("var/run/$name.pid")
    done
    for pidfile in var/run/*.pid; do
        [[ " ${pidfiles[*]} " == *" $pidfile "* ]] || pidfiles+=("$pidfile")
    done
    for pidfile in "${pidfiles[@]}"; do
        [[ -e "$pidfile" ]] || continue
        pid=$(cat "$pidfile")
        name=$(basename "$pidfile" .pid)
        if kill -0 "$pid" 2>/dev/null; then
            # setsid made each process a group leader, so its children stop too.
            kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
            kill -KILL -- "-$pid" 2>/dev/null || true
            [[ -n "$quiet" ]] || echo "stopped $name (pid $pid)"
        fi
        rm -f "$pidfile"
    done
}

status() {
    for pidfile in var/run/*.pid; do
        [[ -e "$pidfile" ]] || { echo "nothing started"; return; }
        pid=$(cat "$pidfile")
        name=$(basename "$pidfile" .pid)
        if kill -0 "$pid" 2>/dev/null; then echo "$name: running (pid $pid)"; else echo "$name: exited, see var/log/$name.log"; fi
    done
}

wait_for_api() {
    for _ in $(seq 1 60); do
        curl -fs http://127.0.0.1:8000/readyz >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    echo "The API did not become ready on 127.0.0.1:8000; see var/log/web.log" >&2
    return 1
}

case "${1:-}" in
    start) start; wait_for_api ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
