#!/usr/bin/env bash
# Accessibility in a real browser: every page in every language through axe-core (WCAG 2.0/2.1
# A and AA) in Debian's headless Chromium. Installs what it needs on a fresh machine.
set -euo pipefail
trap 'echo "browser: failed at line $LINENO" >&2' ERR
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi
python3 -c "import selenium" 2>/dev/null || pip install -q selenium
# axe-core 4.x ships inside this wheel; --no-deps because Playwright's browser download cannot work here.
python3 -c "import axe_playwright_python" 2>/dev/null || pip install -q --no-deps axe-playwright-python

work=$(mktemp -d)
# A free port picked by the system, so a run never meets a port another job holds.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
source .ci/lib.sh
trap 'stop_server; rm -rf "$work"' EXIT
start_server
link=$(grep -Eo "http://127\.0\.0\.1:$port/pl/setup/[0-9a-f]{64}" "$work/log" | head -n 1)
setup_token=${link##*/}
# The setup form is checked while it is still valid, then used.
python3 Tests/browser/axe_pages.py "$base" --extra "/setup/$setup_token"
create_admin
add_service_point
open_ambassador_edition
python3 Tests/browser/axe_pages.py "$base" --session "$(session_token)" --screenshots "${SCREENSHOTS:-$work/screenshots}"

# Case work, as the incident handler sees it: a report arrives through the public form first.
report_incident uk | grep -E 'KR-[0-9A-Z]{4}-[0-9A-Z]{4}' >/dev/null
handler=$(login_as incident-handler handler@ci.test)
test -n "$handler" || { echo "the incident handler could not sign in"; exit 1; }
python3 Tests/browser/axe_pages.py "$base" --session "$handler" --pages "/incidents,/incidents/1,/conflict-risk,/dashboard" \
  --screenshots "${SCREENSHOTS:-$work/screenshots}/handler"
python3 Tests/browser/incident_flow.py "$base" "${SCREENSHOTS:-$work/screenshots}/incident-flow" --session "$handler"
python3 Tests/browser/forms_keyboard.py "$base" "${SCREENSHOTS:-$work/screenshots}/forms-keyboard"
# A programme coordinator's first sign-in at phone width: two-factor enrolment (axe in four
# languages), recovery codes, signing in with a code, a recovery code once.
printf '%s\n' "zielony rower nad Wisłą" | DATABASE_URL="sqlite://$work/otwarty.sqlite" .build/debug/otwarty user create \
  --role programme-coordinator --email koordynatorka@ci.test --name "CI koordynatorka" --password-stdin >/dev/null
python3 Tests/browser/two_factor_flow.py "$base" koordynatorka@ci.test "zielony rower nad Wisłą" \
  "${SCREENSHOTS:-$work/screenshots}/two-factor"
# Phone width for every role (issue 12): no page may scroll sideways at 390 px. The demo history
# fills the tables (records, organisations, reference statistics) so long cells are tried; the
# incident case and the handler's session are the ones made above. One browser for all roles.
DATABASE_URL="sqlite://$work/otwarty.sqlite" .build/debug/otwarty demo --records 300 --force >/dev/null
coordinator=$(login_as programme-coordinator koordynator-narrow@ci.test)
partner=$(login_as partner partner-narrow@ci.test "Stowarzyszenie CI na telefonie" ngo)
council=$(login_as viewer rada-narrow@ci.test)
# Issue 14: this coordinator's key was made after the case was reported and granted to the handler,
# so the case page is the locked one (metadata, who to ask, the access table): axe in four languages.
python3 Tests/browser/axe_pages.py "$base" --session "$coordinator" --pages "/incidents/1" \
  --screenshots "${SCREENSHOTS:-$work/screenshots}/case-locked"
python3 Tests/browser/narrow_pages.py "$base" --session "administrator=$(session_token)" \
  --session "coordinator=$coordinator" --session "partner=$partner" --session "council=$council" \
  --session "handler=$handler" --screenshots "${SCREENSHOTS:-$work/screenshots}/narrow"
# Form errors (issue 12, item 3): after a failed submission focus is on the error summary, the
# title says so, each line names and reaches its field (public patronage form; a partner's activity form).
python3 Tests/browser/form_errors.py "$base" "${SCREENSHOTS:-$work/screenshots}/form-errors" --session "$partner"
# The staff journey (issue 12): a partner records and submits an event, the coordinator finds it in
# the queue and approves it, keyboard only at 390 px. The demo history above leaves other records
# waiting, so the approval banner has a next record to offer.
login_as partner partner-journey@ci.test "Fundacja CI w podróży" ngo >/dev/null
login_as programme-coordinator koordynator-journey@ci.test >/dev/null
python3 Tests/browser/staff_journey.py "$base" "${SCREENSHOTS:-$work/screenshots}/staff-journey" \
  partner-journey@ci.test koordynator-journey@ci.test "$work/otp-programme-coordinator.key"
# Two more of the five journeys of the usability pass, following links at 390 px: a council member
# reads the dashboard in English (the index and how it is formed, the records behind a result, the
# reports); a Russian-speaking resident finds the service points, reports an incident, keeps the
# code and passphrase and reads the status. (The partner, the coordinator and the incident handler
# are staff_journey.py and incident_flow.py above.)
python3 Tests/browser/journeys.py "$base" "${SCREENSHOTS:-$work/screenshots}/journeys" rada-narrow@ci.test
# Issue 13's "Done when", as the programme coordinator at 390 px: a CSV with participants by
# audience moves the goal 6 share by the City Office and Guard parts only; a product delivered with
# a published document makes its task met in the draft report; the dashboard and the public
# progress page show methodology and ranges in pl, en, uk and ru with axe 0 violations.
login_as programme-coordinator koordynator-issue13@ci.test >/dev/null
python3 Tests/browser/issue13_walk.py "$base" "${SCREENSHOTS:-$work/screenshots}/issue13" \
  koordynator-issue13@ci.test "$work/otp-programme-coordinator.key"
# Issue 14's "Done when", tried as a new user would at 390 px: a resident reports in Ukrainian, a
# handler reads the case and adds an update for the reporter, the resident reads it with the
# passphrase (a wrong one opens nothing); the coordinator and the administrator reset the handler's
# password (two people), the case stays locked to the new password until the coordinator grants.
# The handler and the coordinator exist before the report, so it is sealed to their keys.
login_as incident-handler handler-issue14@ci.test >/dev/null
cp "$work/otp-incident-handler.key" "$work/otp-handler-issue14.key"
login_as programme-coordinator koordynator-issue14@ci.test >/dev/null
cp "$work/otp-programme-coordinator.key" "$work/otp-coordinator-issue14.key"
python3 Tests/browser/issue14_walk.py "$base" "${SCREENSHOTS:-$work/screenshots}/issue14" \
  admin@ci.test "$work/otp-admin.key" koordynator-issue14@ci.test "$work/otp-coordinator-issue14.key" \
  handler-issue14@ci.test "$work/otp-handler-issue14.key"
