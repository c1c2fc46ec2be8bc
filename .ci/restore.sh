#!/usr/bin/env bash
# The restore drill (issue 15, point 2), on SQLite and on PostgreSQL: demo data -> `otwarty backup`
# -> `otwarty restore` into a fresh database -> every table's row count and row checksum equal
# (.ci/table-checksums.py, taken of the original just before the backup: the backup's own audit
# entry is written after the copy) -> a server on the original and one on the restored copy
# answer the indicator API with the same bytes, for every year of the demo.
# The key files travel apart from the backup, as docs/operations.md tells an administrator: they
# are copied beside the restored database by hand, never through the backup.
# Needs the built binary (.build/debug/otwarty, or $otwarty_bin) and, for PostgreSQL,
# TEST_POSTGRES_URL (.ci/postgres.sh) and the local server's postgres account to create the two
# scratch databases. About a minute for both.
set -euo pipefail
trap 'echo "restore drill: failed at line $LINENO" >&2' ERR
cd "$(dirname "$0")/.."
bin=${otwarty_bin:-.build/debug/otwarty}
records=${RESTORE_DRILL_RECORDS:-6000} # the demo's own default
work=$(mktemp -d)
pids=()
databases=()
as_postgres() { (cd / && runuser -u postgres -- "$@"); }
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for db in "${databases[@]}"; do as_postgres dropdb --if-exists "$db" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
new_key() { python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())'; }

# Starts `serve` on database $1 with the key files of folder $2; sets $served_pid and $served_base.
serve() {
  local port
  port=$(free_port)
  DATABASE_URL=$1 OTWARTY_PORT=$port OTWARTY_INCIDENT_KEY_FILE=$2/incident.key OTWARTY_OTP_KEY_FILE=$2/otp.key \
    LOG_LEVEL=warning "$bin" serve >"$2/serve.log" 2>&1 &
  served_pid=$!
  pids+=("$served_pid")
  served_base="http://127.0.0.1:$port"
}

wait_ready() {
  for _ in $(seq 1 120); do curl -fsS "$1/readyz" >/dev/null 2>&1 && return 0; sleep 0.25; done
  echo "no server at $1"; return 1
}

# drill NAME SOURCE_URL RESTORED_URL
drill() {
  local name=$1 source=$2 restored=$3 started=$SECONDS
  local keys=$work/$name-keys restored_keys=$work/$name-restored-keys
  mkdir -p "$keys" "$restored_keys"
  new_key >"$keys/incident.key"
  new_key >"$keys/otp.key"
  chmod 600 "$keys"/*.key
  export OTWARTY_INCIDENT_KEY_FILE=$keys/incident.key OTWARTY_OTP_KEY_FILE=$keys/otp.key LOG_LEVEL=warning

  DATABASE_URL=$source "$bin" demo --records "$records" >"$work/$name-demo.log"
  python3 .ci/table-checksums.py "$source" >"$work/$name-original.sums"
  DATABASE_URL=$source "$bin" backup --out "$work/$name.backup" >"$work/$name-backup.log"
  DATABASE_URL=$restored "$bin" restore "$work/$name.backup" >"$work/$name-restore.log"
  python3 .ci/table-checksums.py "$restored" >"$work/$name-restored.sums"
  # A second restore meets a database with tables: refused, exit status 73, nothing written.
  local status=0
  DATABASE_URL=$restored "$bin" restore "$work/$name.backup" >/dev/null 2>"$work/$name-refused.log" || status=$?
  test "$status" = 73 || { echo "restore into a database with tables exited $status, not 73"; cat "$work/$name-refused.log"; return 1; }
  grep -q "is not empty" "$work/$name-refused.log"
  if ! diff "$work/$name-original.sums" "$work/$name-restored.sums"; then
    echo "restore drill ($name): the restored database differs from the original (above)"; return 1
  fi
  local tables rows
  tables=$(grep -vc '^sequence ' "$work/$name-original.sums")
  rows=$(awk '$1 != "sequence" { n += $2 } END { print n }' "$work/$name-original.sums")
  # The audit trail names the file with its SHA-256, which is the file's.
  local digest
  digest=$(sha256sum "$work/$name.backup" | cut -d' ' -f1)
  grep -q "sha256 $digest" "$work/$name-backup.log" || { echo "backup printed another digest than the file's"; return 1; }

  # The key files are kept apart and put back by hand (docs/operations.md).
  cp -p "$keys/incident.key" "$keys/otp.key" "$restored_keys/"
  unset OTWARTY_INCIDENT_KEY_FILE OTWARTY_OTP_KEY_FILE
  serve "$source" "$keys"; local a_pid=$served_pid a=$served_base
  serve "$restored" "$restored_keys"; local b_pid=$served_pid b=$served_base
  wait_ready "$a"; wait_ready "$b"
  local year compared=0
  for year in 2024 2025 2026; do
    curl -fsS "$a/api/v1/indicators?year=$year" >"$work/$name-a-$year.json"
    curl -fsS "$b/api/v1/indicators?year=$year" >"$work/$name-b-$year.json"
    cmp -s "$work/$name-a-$year.json" "$work/$name-b-$year.json" \
      || { echo "restore drill ($name): the indicator API answers differently for $year"; return 1; }
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["measures"] and any(m["value"] for m in d["measures"]), "no values"' \
      "$work/$name-a-$year.json"
    compared=$((compared + $(wc -c <"$work/$name-a-$year.json")))
  done
  kill "$a_pid" "$b_pid"; wait "$a_pid" "$b_pid" 2>/dev/null || true
  printf 'restore drill (%s): %s tables, %s rows equal after backup (%s bytes) and restore; indicator API 2024-2026 identical (%s bytes); %ss\n' \
    "$name" "$tables" "$rows" "$(wc -c <"$work/$name.backup")" "$compared" "$((SECONDS - started))"
}

drill sqlite "sqlite://$work/original/otwarty.sqlite" "sqlite://$work/restored/otwarty.sqlite"

if [ -n "${TEST_POSTGRES_URL:-}" ]; then
  # Two scratch databases beside the test database, owned by its role; dropped on exit.
  role=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1]).username)' "$TEST_POSTGRES_URL")
  suffix=$(python3 -c 'import secrets; print(secrets.token_hex(4))')
  for which in original restored; do
    databases+=("otwarty_drill_${which}_$suffix")
    as_postgres createdb --owner="$role" "otwarty_drill_${which}_$suffix"
  done
  url_for() { python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$TEST_POSTGRES_URL" "$1"; }
  drill postgres "$(url_for "${databases[0]}")" "$(url_for "${databases[1]}")"
else
  echo "restore drill: TEST_POSTGRES_URL is not set; PostgreSQL skipped"
fi
