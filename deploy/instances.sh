#!/usr/bin/env bash
# N `otwarty serve` instances on one database behind nginx, all on the loopback interface, with the
# site configuration a city copies (deploy/nginx/otwarty.conf; its upstream servers, listen and TLS
# lines replaced). For the CI test (.ci/instances.sh), load benches and trying a multi-instance set-up.
#
#   eval "$(DATABASE_URL=postgres://… deploy/instances.sh start 2)"   # prints shell assignments:
#       OTWARTY_PROXY=http://127.0.0.1:P        nginx
#       OTWARTY_INSTANCE_1=http://127.0.0.1:P1  each instance directly (…_2, …)
#       OTWARTY_INSTANCES=2
#       OTWARTY_INSTANCES_DIR=/tmp/otwarty-instances.XXXX   logs (instance-N.log, nginx-error.log), pids, keys
#       OTWARTY_SETUP_LINK=http://127.0.0.1:P/pl/setup/…    only while the database has no administrator
#   deploy/instances.sh stop "$OTWARTY_INSTANCES_DIR"          # stops them (and removes the folder unless KEEP=1)
#
# Environment: DATABASE_URL (required; PostgreSQL — several instances on one SQLite file work but
# are not what this is for), OTWARTY_BIN (default .build/debug/otwarty; use the release binary for
# figures), NGINX_BIN (default: nginx on PATH or /usr/sbin/nginx; not NGINX, which nginx itself
# reads as inherited sockets), OTWARTY_INSTANCES_DIR (default a new
# temporary folder). Every other OTWARTY_* variable (e.g. OTWARTY_ANONYMOUS_LIMIT_FACTOR, LOG_LEVEL)
# is passed to the instances; OTWARTY_TRUSTED_PROXIES defaults to 127.0.0.1 and OTWARTY_PUBLIC_URL
# to the proxy's address. Ports are picked free by the system. Progress goes to stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

log() { printf 'instances.sh: %s\n' "$*" >&2; }
fail() { log "error: $*"; exit 1; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# Waits until URL answers 2xx (60 s at most, less when the process PID ends); on failure shows the log file.
wait_for() {
  local url=$1 logfile=$2 what=$3 pid=${4:-}
  for _ in $(seq 1 240); do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.25
  done
  log "$what did not answer $url; its log:"
  tail -n 40 "$logfile" >&2 || true
  return 1
}

stop() {
  local dir=${1:?usage: instances.sh stop DIR}
  [ -d "$dir" ] || fail "no such folder: $dir"
  if [ -f "$dir/nginx.pid" ]; then kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true; fi
  local pidfile
  for pidfile in "$dir"/instance-*.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  # Instances finish their requests in flight on SIGTERM; wait up to 10 s, then insist.
  for _ in $(seq 1 40); do
    local alive=0
    for pidfile in "$dir"/instance-*.pid "$dir/nginx.pid"; do
      [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && alive=1
    done
    [ "$alive" = 0 ] && break
    sleep 0.25
  done
  for pidfile in "$dir"/instance-*.pid "$dir/nginx.pid"; do
    [ -f "$pidfile" ] && kill -9 "$(cat "$pidfile")" 2>/dev/null || true
  done
  if [ "${KEEP:-0}" = 1 ]; then log "kept $dir"; else rm -rf "$dir"; fi
}

# The site file with its upstream servers, listen and TLS lines replaced, inside a minimal main
# configuration whose files all live in $dir.
nginx_conf() {
  local dir=$1 proxy_port=$2; shift 2
  local servers="" port
  for port in "$@"; do servers+="        server 127.0.0.1:$port max_fails=3 fail_timeout=10s;\n"; done
  cat <<CONF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $dir/nginx-tmp/body;
    proxy_temp_path $dir/nginx-tmp/proxy;
    fastcgi_temp_path $dir/nginx-tmp/fastcgi;
    uwsgi_temp_path $dir/nginx-tmp/uwsgi;
    scgi_temp_path $dir/nginx-tmp/scgi;
CONF
  # awk: drop the site's server lines inside `upstream` (replaced by ours), its listen lines
  # (replaced by one loopback port) and TLS lines; keep everything else as the city has it.
  awk -v servers="$servers" -v listen="    listen 127.0.0.1:$proxy_port;" '
    /^[[:space:]]*#/ { next }
    /^[[:space:]]*upstream[[:space:]]/ { print; printf "%s", servers; inup = 1; next }
    inup && /^[[:space:]]*server[[:space:]]/ { next }
    inup && /}/ { inup = 0 }
    /^[[:space:]]*listen[[:space:]]/ { if (!listened) { print listen; listened = 1 }; next }
    /^[[:space:]]*(ssl_|http2)/ { next }
    { print }
  ' "$here/nginx/otwarty.conf" | sed 's/^/    /'
  echo "}"
}

start() {
  local count=${1:-2}
  [[ "$count" =~ ^[1-9][0-9]?$ ]] || fail "the number of instances must be 1 to 99, not '$count'"
  [ -n "${DATABASE_URL:-}" ] || fail "DATABASE_URL is not set (postgres://user:password@host:port/database)"
  local bin=${OTWARTY_BIN:-$root/.build/debug/otwarty}
  [ -x "$bin" ] || fail "no otwarty binary at $bin (swift build, or set OTWARTY_BIN)"
  local nginx=${NGINX_BIN:-$(command -v nginx || echo /usr/sbin/nginx)}
  unset NGINX # nginx reads NGINX as sockets inherited from a binary upgrade and would stay in the foreground
  [ -x "$nginx" ] || fail "nginx is not installed: apt-get install -y nginx"
  local dir=${OTWARTY_INSTANCES_DIR:-$(mktemp -d /tmp/otwarty-instances.XXXXXX)}
  mkdir -p "$dir/nginx-tmp"
  # nginx's workers may run as another user than its master (root): they write request bodies here.
  chmod 0777 "$dir/nginx-tmp"

  local proxy_port
  proxy_port=$(free_port)
  export OTWARTY_HOST=127.0.0.1
  export OTWARTY_TRUSTED_PROXIES=${OTWARTY_TRUSTED_PROXIES:-127.0.0.1}
  export OTWARTY_PUBLIC_URL=${OTWARTY_PUBLIC_URL:-http://127.0.0.1:$proxy_port}
  # Every instance must read the same keys. A key file named explicitly must exist (the server
  # creates only its default ones), so new random keys are written here unless given.
  export OTWARTY_INCIDENT_KEY_FILE=${OTWARTY_INCIDENT_KEY_FILE:-$dir/incident.key}
  export OTWARTY_OTP_KEY_FILE=${OTWARTY_OTP_KEY_FILE:-$dir/otp.key}
  local keyfile
  for keyfile in "$OTWARTY_INCIDENT_KEY_FILE" "$OTWARTY_OTP_KEY_FILE"; do
    if [ ! -e "$keyfile" ]; then
      (umask 077 && python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())' >"$keyfile")
    fi
  done

  local ports=() n port
  for n in $(seq 1 "$count"); do
    port=$(free_port)
    OTWARTY_PORT=$port nohup "$bin" serve >"$dir/instance-$n.log" 2>&1 </dev/null &
    echo $! >"$dir/instance-$n.pid"
    ports+=("$port")
    # The first migrates the database; the others then start one by one, so
    # the setup link printed last (each start makes a new one) is the one that works.
    wait_for "http://127.0.0.1:$port/readyz" "$dir/instance-$n.log" "instance $n" "$(cat "$dir/instance-$n.pid")" || { stop "$dir"; exit 1; }
    log "instance $n on 127.0.0.1:$port"
  done

  nginx_conf "$dir" "$proxy_port" "${ports[@]}" >"$dir/nginx.conf"
  "$nginx" -t -q -p "$dir" -c "$dir/nginx.conf" -e "$dir/nginx-error.log" 2>>"$dir/nginx-error.log" \
    || { log "nginx refused the configuration $dir/nginx.conf:"; tail -n 20 "$dir/nginx-error.log" >&2; stop "$dir"; exit 1; }
  "$nginx" -p "$dir" -c "$dir/nginx.conf" -e "$dir/nginx-error.log" </dev/null >/dev/null 2>>"$dir/nginx-error.log"
  wait_for "http://127.0.0.1:$proxy_port/healthz" "$dir/nginx-error.log" "nginx" || { stop "$dir"; exit 1; }
  log "nginx on 127.0.0.1:$proxy_port"

  echo "OTWARTY_PROXY=http://127.0.0.1:$proxy_port"
  for n in $(seq 1 "$count"); do echo "OTWARTY_INSTANCE_$n=http://127.0.0.1:${ports[$((n - 1))]}"; done
  echo "OTWARTY_INSTANCES=$count"
  echo "OTWARTY_INSTANCES_DIR=$dir"
  local link
  link=$(grep -Eo 'https?://[^ ]+/pl/setup/[0-9a-f]{64}' "$dir/instance-$count.log" | tail -n 1 || true)
  if [ -n "$link" ]; then echo "OTWARTY_SETUP_LINK=$link"; fi
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: DATABASE_URL=postgres://… $0 start [N]   |   $0 stop DIR" >&2; exit 2 ;;
esac
