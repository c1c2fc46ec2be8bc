#!/usr/bin/env bash
# Starts the built binary on an empty SQLite database as a newcomer would, follows the printed
# setup link to create the first administrator, and checks the programme pages and the API.
set -euo pipefail
trap 'echo "smoke: failed at line $LINENO" >&2' ERR
cd "$(dirname "$0")/.."
work=$(mktemp -d)
# Free ports picked by the system, so a run never meets a port another job holds.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
demo_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
source .ci/lib.sh
trap 'stop_server; rm -rf "$work"' EXIT

start_server
create_admin
grep -q 'admin@ci.test' <<<"$(curl -fsS -b "$jar" "$base/pl/admin/users")"

# Two-factor sign-in, as the administrator just enrolled (create_admin): the enrolment page's QR
# code is a real QR code that reads back as the exact otpauth address; signing in again takes the
# password and then a code; a code is accepted once; a recovery code works once.
if ! command -v zbarimg >/dev/null || ! command -v rsvg-convert >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends zbar-tools librsvg2-bin >/dev/null
fi
rsvg-convert --width 400 --height 400 -o "$work/qr-admin.png" "$work/qr-admin.svg"
decoded=$(zbarimg --quiet --raw "$work/qr-admin.png" 2>/dev/null)
expected="otpauth://totp/Otwarty:admin@ci.test?secret=$(tr -d ' \n' <"$work/otp-admin.key")&issuer=Otwarty"
test "$decoded" = "$expected" || { echo "QR code reads \"$decoded\", expected \"$expected\""; exit 1; }
code=$(python3 Tests/browser/totp.py "$(cat "$work/otp-admin.key")" --offset 1)
test "$(sign_in_with_code admin@ci.test "$code")" = 303 || { echo "sign-in with a code failed"; exit 1; }
grep -q 'admin@ci.test' <<<"$(curl -fsS -b "$work/cookies-2fa" "$base/pl/admin/users")"
test "$(sign_in_with_code admin@ci.test "$code")" = 401 || { echo "a used code was accepted again"; exit 1; }
recovery=$(head -n 1 "$work/recovery-admin.txt")
test "$(sign_in_with_code admin@ci.test "$recovery")" = 303 || { echo "a recovery code was refused"; exit 1; }
test "$(sign_in_with_code admin@ci.test "$recovery")" = 401 || { echo "a recovery code worked twice"; exit 1; }
echo "smoke: the enrolment QR code reads back with zbarimg; sign-in with a code, replay refused, a recovery code once"
for lang in pl en uk ru; do
  # grep reads the whole page: with `curl | grep -q` an early match closes the pipe and curl fails.
  grep -q "<html lang=\"$lang\">" <<<"$(curl -fsS "$base/$lang/programmes/otwarty-krakow-2024-2028/results")"
done
curl -fsS "$base/api/v1/programme" | python3 -c '
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
.build/debug/otwarty programme load Sources/OtwartyCore/Resources/programmes/otwarty-krakow-2024-2028.yaml | grep 'unchanged' >/dev/null
.build/debug/otwarty user create --role viewer --email radna@smoke.test | grep -E '/pl/invitation/[0-9a-f]{64}' >/dev/null
rc=0
.build/debug/otwarty user create --role mayor --email x@smoke.test 2>"$work/err" || rc=$?
test "$rc" != 0 && grep -q 'is not one of' "$work/err"
echo "smoke: CLI programme load and user create behave"

# Demo data: a newcomer's living dashboard, with every result computable.
DATABASE_URL="sqlite://$work/demo.sqlite" .build/debug/otwarty demo --records 3000 >/dev/null
DATABASE_URL="sqlite://$work/demo.sqlite" .build/debug/otwarty demo >/dev/null 2>&1 && { echo "demo ran twice"; exit 1; }
DATABASE_URL="sqlite://$work/demo.sqlite" OTWARTY_PORT=$demo_port .build/debug/otwarty serve >"$work/demo.log" 2>&1 &
demo_pid=$!
for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$demo_port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "http://127.0.0.1:$demo_port/api/v1/indicators?year=2025" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert all(r["computable"] for r in d["results"]), d["results"]
assert d["index"] is not None and 0 < d["index"] <= 1, d["index"]
# 6.2.c is a data source, not a quantity (no value; the page says whether the police data was
# imported). 1.5.a reads anonymous service-point ratings, which only the public form gives: the
# demo has none (docs/indicators.md, "Measures read from registers, ratings and imports").
not_from_records = {"1.5.a", "6.2.c"}
zero = [m["code"] for m in d["measures"] if m["code"] not in not_from_records and not m["value"]]
assert not zero, "measures at zero: %s" % zero
assert next(m for m in d["measures"] if m["code"] == "6.2.c")["value"] is None, "6.2.c is a status, not a number"
print("smoke: demo data gives every measure and an index of %.1f%%" % (100 * d["index"]))'
kill $demo_pid
