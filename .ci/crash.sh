#!/usr/bin/env bash
# Crash cycles (docs/reliability.md): the debug binary is killed with SIGKILL at random moments
# while threads write through the API; after each kill every write acknowledged with 2xx must be
# in the database and the engine's integrity check must say ok. SQLite, then PostgreSQL on a
# cluster the script creates for itself (its postmaster is killed too; the shared server of
# .ci/postgres.sh is never touched, only its installed binaries are used).
#
#   bash .ci/crash.sh                 # the CI share: CRASH_SQLITE_CYCLES + CRASH_POSTGRES_CYCLES
#   CRASH_SEED=123 bash .ci/crash.sh  # repeat a run's kill moments
#
# Bounded: `timeout` stops it after CRASH_TIMEOUT seconds (default 600: about 5–6 minutes on an idle 2-core machine, with room for a slow one), which fails the step.
set -euo pipefail
cd "$(dirname "$0")/.."

# 200 cycles, split by what a cycle costs: on SQLite ~1.5 s (start, writes, the kill, the
# checks), on PostgreSQL ~2.5 s (also the cluster's crash recovery and pg_amcheck). About 6 minutes
# on 2 cores; docs/reliability.md has the figures and the 1,000-cycle run.
sqlite_cycles=${CRASH_SQLITE_CYCLES:-130}
postgres_cycles=${CRASH_POSTGRES_CYCLES:-70}
binary=${otwarty_bin:-.build/debug/otwarty}

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "crash.sh: no PostgreSQL server binaries; run .ci/postgres.sh first (it installs postgresql)" >&2
    exit 1
fi

seed=()
if [ -n "${CRASH_SEED:-}" ]; then seed=(--seed "$CRASH_SEED"); fi
timeout --kill-after=10 "${CRASH_TIMEOUT:-600}" python3 Tests/crash/crash.py --binary "$binary" \
    --sqlite-cycles "$sqlite_cycles" --postgres-cycles "$postgres_cycles" "${seed[@]}" --json /tmp/otwarty-crash.json
