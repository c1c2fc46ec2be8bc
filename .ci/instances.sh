#!/usr/bin/env bash
# Two instances on one PostgreSQL database behind nginx (deploy/instances.sh, with the site
# configuration a city copies), on loopback. Proves what must hold across instances:
#   1. a session made through instance 1 acts (a form with its CSRF token) through instance 2;
#   2. an approval through instance 1 moves instance 2's public progress page (cached per data
#      version: instance 2 hears the write through LISTEN/NOTIFY; the latency is printed, goal ≤ 100 ms);
#   3. the anonymous throttle counts across both (the 6th report from one address within the
#      window is refused whichever instance it reaches);
#   4. housekeeping ran once: every job_runs row says runs = 1 and one incident-retention audit entry.
# Needs TEST_POSTGRES_URL (.ci/postgres.sh), a debug build, nginx and psql. About 30 s.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
: "${TEST_POSTGRES_URL:?run .ci/postgres.sh first (TEST_POSTGRES_URL)}"
export PATH="$PATH:/usr/sbin"
command -v psql >/dev/null || { echo "instances.sh: psql is missing (apt-get install -y postgresql-client)" >&2; exit 1; }

work=$(mktemp -d /tmp/otwarty-ci-instances.XXXXXX)
database="otwarty_ci_instances_$$"
as_postgres() { if [[ $EUID -eq 0 ]]; then (cd / && runuser -u postgres -- "$@"); else (cd / && sudo -n -u postgres -- "$@"); fi; }
pg_port=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlparse(sys.argv[1]).port or 5432)' "$TEST_POSTGRES_URL")
as_postgres psql -X -q -p "$pg_port" -d postgres -c "CREATE DATABASE $database OWNER otwarty"
url=$(python3 -c 'import sys, urllib.parse as u; p = u.urlparse(sys.argv[1]); print(u.urlunparse(p._replace(path="/" + sys.argv[2])))' "$TEST_POSTGRES_URL" "$database")
psql_url=$url
sql() { psql -X -q -At "$psql_url" -c "$1"; }

cleanup() {
  local rc=$?
  if [ -n "${OTWARTY_INSTANCES_DIR:-}" ]; then
    if [ "$rc" -ne 0 ]; then
      for f in "$OTWARTY_INSTANCES_DIR"/instance-*.log "$OTWARTY_INSTANCES_DIR"/nginx-error.log; do
        echo "--- $f"; tail -n 30 "$f" || true
      done
    fi
    deploy/instances.sh stop "$OTWARTY_INSTANCES_DIR" || true
  fi
  as_postgres psql -X -q -p "$pg_port" -d postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT

# Fast reporter keys (the form derives one per report) so the throttle check takes seconds.
export OTWARTY_INCIDENT_SCRYPT_LOG_N=10 LOG_LEVEL=warning
started=$(DATABASE_URL=$url deploy/instances.sh start 2)
eval "$started"
one=$OTWARTY_INSTANCE_1 two=$OTWARTY_INSTANCE_2 proxy=$OTWARTY_PROXY
echo "instances: $one and $two behind nginx at $proxy, database $database"

# lib.sh's helpers use $base, $port and the CLI's database.
export DATABASE_URL=$url
ci_database_url=$url
port=${one##*:}

csrf_of() { grep -Eo 'name="_csrf" value="[0-9a-f]{64}"' <<<"$1" | head -n 1 | grep -Eo '[0-9a-f]{64}'; }

# 1. Signed in (with two-factor enrolment) through instance 1; a form through instance 2.
base=$one
login_as administrator admin@ci.test >/dev/null
jar="$work/cookies-administrator"
base=$two
add_service_point
page=$(curl -fsS -b "$jar" "$one/pl/manage/service-points")
grep -q 'Punkt Informacyjny dla Obcokrajowców' <<<"$page" || { echo "the service point added through instance 2 is not listed by instance 1"; exit 1; }
echo "ok: signed in through instance 1, a CSRF form accepted through instance 2"

# 2. A partner's record, submitted; approved through instance 1; instance 2's pages move.
base=$one
login_as partner partner@ci.test "Fundacja CI" ngo >/dev/null
partner_jar="$work/cookies-partner"
organisation=$(sql "SELECT id FROM organisations WHERE name = 'Fundacja CI'")
token=$("${otwarty_bin:-.build/debug/otwarty}" token create --email partner@ci.test --name ci)
created=$(curl -sS -w '\n%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  --data "{\"task\":\"4.1\",\"kind\":\"event\",\"title\":\"Festiwal CI\",\"startDate\":\"2025-06-14\",\"organisationId\":$organisation,\"participants\":40}" \
  "$proxy/api/v1/activities")
test "$(tail -n 1 <<<"$created")" = 201 || { echo "creating a record answered: $created"; exit 1; }
record=$(head -n 1 <<<"$created" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
page=$(curl -fsS -b "$partner_jar" "$two/pl/activities/$record")
status=$(curl -sS -o /dev/null -w '%{http_code}' -b "$partner_jar" --data-urlencode "_csrf=$(csrf_of "$page")" "$two/pl/activities/$record/submit")
test "$status" = 303 || { echo "submitting through instance 2 answered $status"; exit 1; }
admin_page=$(curl -fsS -b "$jar" "$one/pl/activities/$record")
python3 - "$one/pl/activities/$record/approve" "$(csrf_of "$admin_page")" "$jar" "$two/pl/progress?year=2025" <<'PY'
import http.client, sys, time, urllib.parse

approve, csrf, jar, progress = sys.argv[1:5]
cookies = []
for line in open(jar):
    line = line.strip()
    if line.startswith("#HttpOnly_"):
        line = line[len("#HttpOnly_"):]
    elif not line or line.startswith("#"):
        continue
    fields = line.split("\t")
    if len(fields) == 7:
        cookies.append(f"{fields[5]}={fields[6]}")
cookie = "; ".join(cookies)

def request(method, url, body=None, signed_in=False):
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    headers = {"Cookie": cookie} if signed_in else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, parts.path + ("?" + parts.query if parts.query else ""), body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data

def watch(name, url, signed_in, baseline, approved_at):
    deadline = approved_at + 5
    polls = 0
    while time.monotonic() < deadline:
        sent = time.monotonic()
        status, body = request("GET", url, signed_in=signed_in)
        polls += 1
        if status == 200 and body != baseline:
            return sent - approved_at, time.monotonic() - sent, polls
        time.sleep(0.002)
    sys.exit(f"{name} on the other instance did not change within 5 s of the approval")

# The page read (and cached) by instance 2 before the approval.
baselines = {}
for name, url, signed_in in (("progress page", progress, False),):
    for _ in range(2):
        status, body = request("GET", url, signed_in=signed_in)
        if status != 200:
            sys.exit(f"{name} answered {status}")
    baselines[name] = body
status, _ = request("POST", approve, body=urllib.parse.urlencode({"_csrf": csrf}), signed_in=True)
approved_at = time.monotonic()
if status != 303:
    sys.exit(f"approving through instance 1 answered {status}")
for name, url, signed_in in (("progress page", progress, False),):
    latency, took, polls = watch(name, url, signed_in, baselines[name], approved_at)
    # When the read that first showed the change was sent is what counts (the instance knew by
    # then); how long it took is the page's fresh render, not the invalidation.
    print(f"ok: instance 2's {name} showed the approval in a read sent {latency * 1000:.1f} ms after instance 1 answered it "
          f"(read {polls} of them; that read took {took * 1000:.0f} ms, a fresh render); goal ≤ 100 ms")
PY

# 3. The anonymous throttle across instances: 5 reports per address per window, alternating.
report() {
  local target=$1 anonjar="$work/cookies-anon-$RANDOM" page
  page=$(curl -fsS -c "$anonjar" -b "$anonjar" "$target/pl/report-incident")
  curl -sS -o /dev/null -w '%{http_code}' -c "$anonjar" -b "$anonjar" --data-urlencode "_csrf=$(csrf_of "$page")" \
    --data-urlencode "category=verbal-abuse" --data-urlencode "narrative=Krzyki na przystanku (CI, instances)" \
    --data-urlencode "district=1" --data-urlencode "motivation=nationality" --data-urlencode "reporterRole=witness" \
    --data-urlencode "policeInformed=no" "$target/pl/report-incident"
}
if sql "SELECT 1 FROM schema_migrations WHERE version = 25" | grep -q 1; then
  statuses=""
  for i in 1 2 3 4 5 6; do
    if [ $((i % 2)) = 1 ]; then target=$one; else target=$two; fi
    statuses+="$(report "$target") "
  done
  echo "reports alternating between the instances answered: $statuses"
  test "$statuses" = "303 303 303 303 303 429 " || { echo "the anonymous throttle does not hold across instances"; exit 1; }
  echo "ok: the 6th report from one address was refused (429) although each instance saw only 3"
else
  echo "TODO(lead): the anonymous throttle is not in the database yet (no migration 25, helper A1): check skipped"
fi

# 4. Housekeeping once across the two instances (both started within its 5-minute period).
runs=$(sql "SELECT name || '=' || runs FROM job_runs ORDER BY name" | tr '\n' ' ')
echo "job_runs: $runs"
test -n "$runs" || { echo "no housekeeping job ran"; exit 1; }
if sql "SELECT name FROM job_runs WHERE runs <> 1" | grep -q .; then echo "a housekeeping job ran more than once"; exit 1; fi
retention=$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'incident.retention'")
test "$retention" = 1 || { echo "incident retention wrote $retention audit entries (expected 1)"; exit 1; }
echo "ok: each housekeeping job ran once across the two instances; one incident.retention audit entry"
