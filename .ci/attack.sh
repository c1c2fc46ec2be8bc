#!/usr/bin/env bash
# The attack suite: the built binary on loopback with demo data and one user per role, attacked
# from outside in five bounded parts (docs/security.md, "The attack suite"):
#   1 routes    every route × every role, signed out and in, with and without CSRF, against
#               the checked-in access table Tests/attack/access.tsv (a missing route fails)
#   2 extremes  every query and form parameter found by crawling (and in the OpenAPI document)
#               with extreme values → never 5xx, /healthz answers after each batch
#   3 schema    schemathesis against openapi.yaml, all checks, bounded examples → 0 failures
#   4 xss       a script payload in every text field of every form, then every page in Chromium
#               with alert/confirm/prompt hooked and CSP violations counted → 0 scripts run
#   5 headers   (the crawl) CSP, nosniff, no cacheable response that sets a cookie
# Usage: bash .ci/attack.sh [PART…]   (parts by name; all by default). Needs .build/debug/otwarty.
# ATTACK_KEEP=1 keeps the work folder (server log, crawl results) and prints its path.
set -euo pipefail
trap 'echo "attack: failed at line $LINENO" >&2' ERR
cd "$(dirname "$0")/.."
started=$(date +%s)
parts=${*:-"routes extremes schema xss"}

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi
python3 -c "import selenium, requests" 2>/dev/null || pip install -q selenium requests
python3 -c "import schemathesis" 2>/dev/null || pip install -q schemathesis

work=$(mktemp -d)
export ATTACK_WORK=$work
# A free port on loopback, chosen by the kernel.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
source .ci/lib.sh
cleanup() { stop_server; if [ "${ATTACK_KEEP:-}" = 1 ]; then echo "attack: work folder $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT
export OTWARTY_BCRYPT_COST=10 OTWARTY_PDF_RENDERER=none
export DATABASE_URL="sqlite://$work/otwarty.sqlite"

# Demo data first, then the server, then one user per role.
.build/debug/otwarty demo --records 1500 >/dev/null
.build/debug/otwarty routes --json >"$work/routes.json"
start_server
password="zielony rower nad Wisłą"
# Roles bound to an organisation are created with one from the demo data and signed in by form.
login_member() {
  local role=$1 email=$2 organisation=$3 userjar="$work/cookies-$1" page csrf
  printf '%s\n' "$password" | .build/debug/otwarty user create --role "$role" --email "$email" --name "Attack $role" \
    --organisation "$organisation" --password-stdin >/dev/null
  page=$(curl -fsS -c "$userjar" -b "$userjar" "$base/pl/login")
  csrf=$(grep -Eo 'name="_csrf" value="[0-9a-f]{64}"' <<<"$page" | head -n 1 | grep -Eo '[0-9a-f]{64}')
  curl -sS -o /dev/null -c "$userjar" -b "$userjar" --data-urlencode "_csrf=$csrf" --data-urlencode "email=$email" \
    --data-urlencode "password=$password" "$base/pl/login"
  grep otwarty_session "$userjar" | awk '{print $7}' | tail -n 1
}
declare -A session
for role in administrator programme-coordinator viewer incident-handler; do
  session[$role]=$(login_as "$role" "$role@attack.test")  # enrols the second factor where the role needs one
done
session[unit-coordinator]=$(login_member unit-coordinator unit-coordinator@attack.test "Wydział Edukacji")
session[partner]=$(login_member partner partner@attack.test "Fundacja Otwarte Drzwi")
# The user the administrator's disable/enable/link routes act on (never one the suite signs in as).
.build/debug/otwarty user create --role viewer --email target@attack.test --name "Attack target" >/dev/null
{
  printf '{'
  sep=
  for role in "${!session[@]}"; do
    test -n "${session[$role]}" || { echo "attack: $role could not sign in"; exit 1; }
    api=$(.build/debug/otwarty token create --email "$role@attack.test" --name attack 2>/dev/null)
    printf '%s"%s": {"email": "%s@attack.test", "session": "%s", "api": "%s"}' "$sep" "$role" "$role" "${session[$role]}" "$api"
    sep=,
  done
  printf '}\n'
} >"$work/identities.json"
python3 Tests/attack/setup.py "$base"
echo "attack: server with demo data and six roles ready in $(( $(date +%s) - started ))s"

failed=()
run_part() {  # NAME SECONDS COMMAND…: runs one part under a hard time limit
  local name=$1 limit=$2 rc=0 t0
  shift 2
  t0=$(date +%s)
  printf '\n--> attack part: %s (limit %ss)\n' "$name" "$limit"
  timeout --kill-after=10 "$limit" "$@" || rc=$?
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then echo "attack: part $name ran out of its ${limit}s"; fi
  if ! curl -fsS "$base/healthz" >/dev/null 2>&1; then
    echo "attack: /healthz stopped answering after part $name"; tail -n 40 "$work/log"; rc=1
  fi
  echo "<-- $name: exit $rc in $(( $(date +%s) - t0 ))s"
  if [ "$rc" != 0 ]; then failed+=("$name"); fi
  return 0
}

# The crawl (part 5, headers) always runs: the other parts use what it found.
run_part headers 120 python3 Tests/attack/crawl.py "$base" --budget 90
for part in $parts; do
  case $part in
    headers) ;;
    routes) run_part routes 100 python3 Tests/attack/routes.py "$base" Tests/attack/access.tsv ;;
    extremes) run_part extremes 130 python3 Tests/attack/extremes.py "$base" --budget 100 ;;
    schema) run_part schema 120 python3 Tests/attack/schema.py "$base" Sources/OtwartyWeb/Resources/openapi.yaml --max-time 80 ;;
    xss) run_part xss 150 python3 Tests/attack/xss.py "$base" --budget 120 ;;
    *) echo "attack: unknown part $part"; exit 2 ;;
  esac
done

if grep -Eq 'Fatal error|Illegal instruction|Segmentation' "$work/log"; then
  echo "attack: the server log shows a crash:"; grep -E -B2 -A5 'Fatal error|Illegal instruction|Segmentation' "$work/log" | head -n 40
  failed+=(server-log)
fi
echo
echo "attack: done in $(( $(date +%s) - started ))s"
if [ ${#failed[@]} -gt 0 ]; then echo "attack: failed parts: ${failed[*]}"; exit 1; fi
echo "attack: all parts passed"
