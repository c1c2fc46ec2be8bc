#!/usr/bin/env bash
# Starts the built binary on an empty SQLite database as a newcomer would, follows the printed
# setup link to create the first administrator, and checks the programme pages and the API.
set -euo pipefail
trap 'echo "smoke: failed at line $LINENO" >&2' ERR
cd "$(dirname "$0")/.."
work=$(mktemp -d)
port=18080
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

DATABASE_URL="sqlite://$work/otwarty.sqlite" OTWARTY_PORT=$port .build/debug/otwarty serve >"$work/log" 2>&1 &
echo $! >"$work/pid"
for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "http://127.0.0.1:$port/healthz" | grep -q '"ok"'

link=$(grep -Eo "http://127\.0\.0\.1:$port/pl/setup/[0-9a-f]{64}" "$work/log" | head -n 1 || true)
test -n "$link" || { echo "no setup link printed"; cat "$work/log"; exit 1; }
jar="$work/cookies"
page=$(curl -fsS -c "$jar" -b "$jar" "$link")
csrf=$(grep -Eo 'name="_csrf" value="[0-9a-f]{64}"' <<<"$page" | head -n 1 | grep -Eo '[0-9a-f]{64}')
status=$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" \
  --data-urlencode "displayName=Smoke Admin" --data-urlencode "email=admin@smoke.test" \
  --data-urlencode "password=zielony rower nad Wisłą" --data-urlencode "passwordConfirmation=zielony rower nad Wisłą" "$link")
test "$status" = 303 || { echo "setup answered $status"; exit 1; }
curl -fsS -b "$jar" "http://127.0.0.1:$port/pl/admin/users" | grep -q 'admin@smoke.test'
for lang in pl en uk ru; do
  curl -fsS "http://127.0.0.1:$port/$lang/programmes/otwarty-krakow-2024-2028/results" | grep -q "<html lang=\"$lang\">"
done
curl -fsS "http://127.0.0.1:$port/api/v1/programme" | python3 -c '
import json, sys
p = json.load(sys.stdin)
tasks = [t for g in p["goals"] for t in g["tasks"]]
assert (len(p["goals"]), len(tasks), len(p["results"]), len(p["risks"])) == (6, 27, 4, 6), "counts"
print("smoke: setup link, admin page, four languages and the API answer as expected")'

# The CLI: a malformed programme file is rejected whole, naming the path; a good one loads once.
export DATABASE_URL="sqlite://$work/otwarty.sqlite"
sed 's/deadline: "2024-12-31"/deadline: "31.12.2024"/' Sources/OtwartyCore/Resources/programmes/otwarty-krakow-2024-2028.yaml >"$work/bad.yaml"
rc=0
.build/debug/otwarty programme load "$work/bad.yaml" 2>"$work/err" || rc=$?
test "$rc" = 65 || { echo "bad file exit code $rc"; exit 1; }
grep -q 'goals\[1\].tasks\[1\].deadline: "31.12.2024" is not a date (YYYY-MM-DD)' "$work/err" || { cat "$work/err"; exit 1; }
.build/debug/otwarty programme load Sources/OtwartyCore/Resources/programmes/otwarty-krakow-2024-2028.yaml | grep -q 'unchanged'
.build/debug/otwarty user create --role viewer --email radna@smoke.test | grep -Eq '/pl/invitation/[0-9a-f]{64}'
rc=0
.build/debug/otwarty user create --role mayor --email x@smoke.test 2>"$work/err" || rc=$?
test "$rc" != 0 && grep -q 'is not one of' "$work/err"
echo "smoke: CLI programme load and user create behave"
