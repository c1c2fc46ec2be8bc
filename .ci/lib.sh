# Shared by .ci/smoke.sh and .ci/browser.sh: start the built binary on a fresh SQLite database and
# create the first administrator through the printed setup link, as a newcomer would.
# Needs: $work (a temporary folder) and $port. Sets: $base, $link, $jar (a curl cookie jar).
# The binary is $otwarty_bin when set (e.g. a copy of an older build), else .build/debug/otwarty.
# Administrators, programme coordinators and incident handlers must use two-factor sign-in:
# create_admin and login_as enrol them through the enrolment page (enrol_second_factor), keeping
# the key in $work/otp-NAME.key, the page's QR code in $work/qr-NAME.svg and the recovery codes in
# $work/recovery-NAME.txt; Tests/browser/totp.py computes codes (python3 standard library).

start_server() {
  DATABASE_URL="sqlite://$work/otwarty.sqlite" OTWARTY_PORT=$port "${otwarty_bin:-.build/debug/otwarty}" serve >"$work/log" 2>&1 &
  echo $! >"$work/pid"
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 60); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -fsS "$base/healthz" | grep '"ok"' >/dev/null
}

stop_server() {
  kill "$(cat "$work/pid" 2>/dev/null)" 2>/dev/null || true
}

create_admin() {
  link=$(grep -Eo "http://127\.0\.0\.1:$port/pl/setup/[0-9a-f]{64}" "$work/log" | head -n 1 || true)
  test -n "$link" || { echo "no setup link printed"; cat "$work/log"; return 1; }
  jar="$work/cookies"
  local page csrf status password="zielony rower nad Wisłą"
  page=$(curl -fsS -c "$jar" -b "$jar" "$link")
  csrf=$(grep -Eo 'name="_csrf" value="[0-9a-f]{64}"' <<<"$page" | head -n 1 | grep -Eo '[0-9a-f]{64}')
  status=$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" \
    --data-urlencode "displayName=CI Admin" --data-urlencode "email=admin@ci.test" \
    --data-urlencode "password=$password" --data-urlencode "passwordConfirmation=$password" "$link")
  test "$status" = 303 || { echo "setup answered $status"; return 1; }
  enrol_second_factor "$jar" admin
}

# Two-factor enrolment for the (enrolment-only) session in cookie jar $1, named $2: reads the key
# from the enrolment page, keeps its QR code, confirms with a current code. The confirmation's new
# session cookie replaces the old one in the jar.
enrol_second_factor() {
  local userjar=$1 name=$2 page key csrf answer
  page=$(curl -fsS -c "$userjar" -b "$userjar" "$base/pl/account/two-factor")
  key=$(grep -Eo 'otp-key">[A-Z2-7 ]+<' <<<"$page" | head -n 1 | sed -E 's/^otp-key">//; s/<$//' || true)
  test -n "$key" || { echo "no two-factor key on the enrolment page for $name" >&2; return 1; }
  printf '%s\n' "$key" >"$work/otp-$name.key"
  curl -fsS -b "$userjar" "$base/pl/account/two-factor/qr.svg" >"$work/qr-$name.svg"
  csrf=$(grep -Eo 'name="_csrf" value="[0-9a-f]{64}"' <<<"$page" | head -n 1 | grep -Eo '[0-9a-f]{64}')
  answer=$(curl -sS -c "$userjar" -b "$userjar" --data-urlencode "_csrf=$csrf" \
    --data-urlencode "code=$(python3 Tests/browser/totp.py "$key")" "$base/pl/account/two-factor/confirm")
  grep -Eo '<code class="credential">[a-z0-9-]{19}</code>' <<<"$answer" | sed -E 's/<[^>]*>//g' >"$work/recovery-$name.txt" || true
  test "$(wc -l <"$work/recovery-$name.txt")" = 10 || { echo "enrolling $name gave no recovery codes" >&2; return 1; }
}

# Signs in with the password and then a second-factor code (or recovery code) in a fresh jar
# $work/cookies-2fa; prints the HTTP status of the code step (303 when signed in).
# Usage: sign_in_with_code EMAIL CODE
sign_in_with_code() {
  local email=$1 code=$2 password="zielony rower nad Wisłą" j="$work/cookies-2fa" page csrf
  rm -f "$j"
  page=$(curl -fsS -c "$j" -b "$j" "$base/pl/login")
  csrf=$(grep -Eo 'name="_csrf" value="[0-9a-f]{64}"' <<<"$page" | head -n 1 | grep -Eo '[0-9a-f]{64}')
  curl -sS -o /dev/null -c "$j" -b "$j" --data-urlencode "_csrf=$csrf" --data-urlencode "email=$email" \
    --data-urlencode "password=$password" "$base/pl/login"
  grep -q otwarty_pending "$j" || { echo "no second step after the password for $email" >&2; return 1; }
  curl -sS -o /dev/null -w '%{http_code}' -c "$j" -b "$j" --data-urlencode "_csrf=$csrf" --data-urlencode "code=$code" \
    "$base/pl/login/code"
}

session_token() {
  grep otwarty_session "$jar" | awk '{print $7}' | tail -n 1
}

# A second user, made with the CLI, signed in through the login form: its session token on stdout.
# Roles that require a second factor enrol one first (enrol_second_factor, named after the role),
# so the token printed can act at once.
# An optional ORGANISATION binds the user to it (unit-coordinator, partner); with a KIND it is
# created when it does not exist yet (see `otwarty user create --help`).
# The CLI writes to $ci_database_url when set (e.g. PostgreSQL), else the SQLite file in $work.
# Usage: login_as ROLE EMAIL [ORGANISATION [KIND]]
login_as() {
  local role=$1 email=$2 password="zielony rower nad Wisłą" userjar="$work/cookies-$1" page csrf
  local organisation=()
  if [ -n "${3:-}" ]; then organisation=(--organisation "$3"); fi
  if [ -n "${4:-}" ]; then organisation+=(--organisation-kind "$4"); fi
  printf '%s\n' "$password" | DATABASE_URL="${ci_database_url:-sqlite://$work/otwarty.sqlite}" "${otwarty_bin:-.build/debug/otwarty}" user create \
    --role "$role" --email "$email" --name "CI $role" "${organisation[@]}" --password-stdin >/dev/null
  page=$(curl -fsS -c "$userjar" -b "$userjar" "$base/pl/login")
  csrf=$(grep -Eo 'name="_csrf" value="[0-9a-f]{64}"' <<<"$page" | head -n 1 | grep -Eo '[0-9a-f]{64}')
  curl -sS -o /dev/null -c "$userjar" -b "$userjar" --data-urlencode "_csrf=$csrf" --data-urlencode "email=$email" \
    --data-urlencode "password=$password" "$base/pl/login"
  case "$role" in
    administrator|programme-coordinator|incident-handler) enrol_second_factor "$userjar" "$role" >&2 ;;
  esac
  grep otwarty_session "$userjar" | awk '{print $7}' | tail -n 1
}

# An anonymous incident report through the public form; prints the page it answers with.
report_incident() {
  local lang=$1 anonjar="$work/cookies-anon" page csrf
  page=$(curl -fsS -c "$anonjar" -b "$anonjar" "$base/$lang/report-incident")
  csrf=$(grep -Eo 'name="_csrf" value="[0-9a-f]{64}"' <<<"$page" | head -n 1 | grep -Eo '[0-9a-f]{64}')
  # -L: the form answers 303 to the confirmation page, which shows the code from the receipt cookie.
  curl -sS -L -c "$anonjar" -b "$anonjar" --data-urlencode "_csrf=$csrf" --data-urlencode "category=verbal-abuse" \
    --data-urlencode "narrative=Krzyki na przystanku / крики на зупинці" --data-urlencode "district=1" \
    --data-urlencode "motivation=nationality" --data-urlencode "reporterRole=witness" --data-urlencode "policeInformed=no" \
    "$base/$lang/report-incident"
}

# A service point, added by the administrator through the back-office form (uses $jar).
add_service_point() {
  local page csrf status
  page=$(curl -fsS -c "$jar" -b "$jar" "$base/pl/manage/service-points")
  csrf=$(grep -Eo 'name="_csrf" value="[0-9a-f]{64}"' <<<"$page" | head -n 1 | grep -Eo '[0-9a-f]{64}')
  status=$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "id=0" \
    --data-urlencode "name=Punkt Informacyjny dla Obcokrajowców" --data-urlencode "address=Kraków" \
    --data-urlencode "openingHours=pn–pt 9:00–17:00" --data-urlencode "languages=polski, українська, English, русский" \
    --data-urlencode "contact=—" "$base/pl/manage/service-points")
  test "$status" = 303 || { echo "adding a service point answered $status"; return 1; }
}

# An Ambassador edition open today, set by the administrator (uses $jar).
open_ambassador_edition() {
  local page csrf status year
  year=$(date +%Y)
  page=$(curl -fsS -c "$jar" -b "$jar" "$base/pl/manage/ambassador")
  csrf=$(grep -Eo 'name="_csrf" value="[0-9a-f]{64}"' <<<"$page" | head -n 1 | grep -Eo '[0-9a-f]{64}')
  status=$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "year=$year" \
    --data-urlencode "opensOn=$year-01-01" --data-urlencode "closesOn=$year-12-31" "$base/pl/manage/ambassador")
  test "$status" = 303 || { echo "opening the Ambassador edition answered $status"; return 1; }
}
