#!/usr/bin/env bash
# A before/after capture proving "no behaviour changed": starts BINARY on a fresh SQLite database
# with the demo data (default seed), one user per role and an API token each, then crawls the pages
# and the API anonymously and as every role (Tests/capture/crawl.py) and stores every answer,
# normalised only where a value is random per run or the time of the request, under OUTDIR.
# Two captures of the same data compare with .ci/capture-compare.sh BEFORE AFTER (or diff -r).
#
# Usage: bash .ci/capture.sh BINARY OUTDIR
#   CAPTURE_MAX_URLS=N   URLs per identity at most (default 1500)
#   CAPTURE_KEEP=1       keep the work folder (server log, database) and print its path
#   CAPTURE_RESOURCES=DIR  a folder holding the binary's resource bundles (otwarty_*.resources:
#                        templates, translations, openapi.yaml, the programme): the binary is copied
#                        beside them and run from there. A debug binary reads its resources from the
#                        bundles beside it, else from the .build folder it was built in, which a later
#                        build overwrites: a copied "before" binary needs its own bundles frozen, e.g.
#                        git archive COMMIT Sources/OtwartyWeb/Resources | tar -x -C DIR/otwarty_OtwartyWeb.resources --strip-components=2
#                        (the same for OtwartyCore).
# Captures compared with each other must be taken on the same day (the demo data and the pages
# depend on today's date). About 5 minutes (9,300 answers) on two cores. Not part of .ci/run.
set -euo pipefail
trap 'echo "capture: failed at line $LINENO" >&2' ERR
if [ $# -ne 2 ]; then echo "usage: bash .ci/capture.sh BINARY OUTDIR" >&2; exit 2; fi
otwarty_bin=$(realpath "$1")
outdir=$(realpath -m "$2")
test -x "$otwarty_bin" || { echo "capture: $1 is not an executable" >&2; exit 2; }
if [ -e "$outdir" ] && [ -n "$(ls -A "$outdir")" ] && [ ! -f "$outdir/index.tsv" ]; then
  echo "capture: $outdir exists and is not an earlier capture; choose another folder" >&2; exit 2
fi
cd "$(dirname "$0")/.."
started=$(date +%s)

work=$(mktemp -d)
# A free port on loopback, chosen by the kernel.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
source .ci/lib.sh
cleanup() { stop_server; if [ "${CAPTURE_KEEP:-}" = 1 ]; then echo "capture: work folder $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT
if [ -n "${CAPTURE_RESOURCES:-}" ]; then
  ls -d "$CAPTURE_RESOURCES"/*.resources >/dev/null || { echo "capture: no *.resources in $CAPTURE_RESOURCES" >&2; exit 2; }
  mkdir "$work/bin"
  cp "$otwarty_bin" "$work/bin/otwarty"
  for bundle in "$CAPTURE_RESOURCES"/*.resources; do cp -r "$bundle" "$work/bin/"; done
  otwarty_bin="$work/bin/otwarty"
fi
bundles=$( (strings "$otwarty_bin" 2>/dev/null || true) | grep -Eo '^/.*/otwarty_[A-Za-z]+\.resources$' | sort -u || true)
for bundle in $bundles; do
  if [ ! -d "$(dirname "$otwarty_bin")/$(basename "$bundle")" ]; then
    echo "capture: warning: no $(basename "$bundle") beside the binary: it reads $bundle, which the next build changes (see CAPTURE_RESOURCES)" >&2
  fi
done
export OTWARTY_BCRYPT_COST=10 OTWARTY_PDF_RENDERER=none
# Swift seeds Dictionary and Set hashing at random per process (and per instance): without this the
# keys of e.g. a problem+json answer come in a different order every time.
export SWIFT_DETERMINISTIC_HASHING=1
export DATABASE_URL="sqlite://$work/otwarty.sqlite"

start_server
create_admin
"$otwarty_bin" demo >"$work/demo.log"
admin_session=$(session_token)
declare -A session
session[programme-coordinator]=$(login_as programme-coordinator programme-coordinator@capture.test)
# Roles bound to an organisation see its drafts: one from the demo data each.
session[unit-coordinator]=$(login_as unit-coordinator unit-coordinator@capture.test "Wydział Edukacji")
session[partner]=$(login_as partner partner@capture.test "Fundacja Otwarte Drzwi")
session[viewer]=$(login_as viewer viewer@capture.test)
session[incident-handler]=$(login_as incident-handler incident-handler@capture.test)

token_for() { "$otwarty_bin" token create --email "$1" --name capture 2>/dev/null; }
python3 - "$work/identities.json" <<EOF
import json, sys
identities = {
    "anonymous": {},
    "administrator": {"session": "$admin_session", "token": "$(token_for admin@ci.test)"},
    "programme-coordinator": {"session": "${session[programme-coordinator]}", "token": "$(token_for programme-coordinator@capture.test)"},
    "unit-coordinator": {"session": "${session[unit-coordinator]}", "token": "$(token_for unit-coordinator@capture.test)"},
    "partner": {"session": "${session[partner]}", "token": "$(token_for partner@capture.test)"},
    "viewer": {"session": "${session[viewer]}", "token": "$(token_for viewer@capture.test)"},
    "incident-handler": {"session": "${session[incident-handler]}", "token": "$(token_for incident-handler@capture.test)"},
}
for name, identity in identities.items():
    assert all(identity.values()), f"{name} has no session or token"
json.dump(identities, open(sys.argv[1], "w"), indent=1)
EOF
echo "capture: $(basename "$otwarty_bin") on port $port with demo data and six roles ready in $(( $(date +%s) - started ))s"

rm -rf "$outdir"
mkdir -p "$outdir"
python3 Tests/capture/crawl.py "$base" "$outdir" --identities "$work/identities.json" --max-urls "${CAPTURE_MAX_URLS:-1500}"
if grep -Eq 'Fatal error|Illegal instruction|Segmentation' "$work/log"; then
  echo "capture: the server log shows a crash:"; grep -E -B2 -A5 'Fatal error|Illegal instruction|Segmentation' "$work/log" | head -n 40
  exit 1
fi
stop_server
echo "capture: $(( $(wc -l <"$outdir/index.tsv") - 1 )) answers in $outdir, done in $(( $(date +%s) - started ))s"
