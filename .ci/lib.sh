# Shared by .ci/smoke.sh and .ci/browser.sh: start the built binary on a fresh SQLite database and
# create the first administrator through the printed setup link, as a newcomer would.
# Needs: $work (a temporary folder) and $port. Sets: $base, $link, $jar (a curl cookie jar).

start_server() {
  DATABASE_URL="sqlite://$work/otwarty.sqlite" OTWARTY_PORT=$port .build/debug/otwarty serve >"$work/log" 2>&1 &
  echo $! >"$work/pid"
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 60); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -fsS "$base/healthz" | grep -q '"ok"'
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
}

session_token() {
  grep otwarty_session "$jar" | awk '{print $7}' | tail -n 1
}

# A second user, made with the CLI, signed in through the login form: its session token on stdout.
# Usage: login_as ROLE EMAIL
login_as() {
  local role=$1 email=$2 password="zielony rower nad Wisłą" userjar="$work/cookies-$1" page csrf
  printf '%s\n' "$password" | DATABASE_URL="sqlite://$work/otwarty.sqlite" .build/debug/otwarty user create \
    --role "$role" --email "$email" --name "CI $role" --password-stdin >/dev/null
  page=$(curl -fsS -c "$userjar" -b "$userjar" "$base/pl/login")
  csrf=$(grep -Eo 'name="_csrf" value="[0-9a-f]{64}"' <<<"$page" | head -n 1 | grep -Eo '[0-9a-f]{64}')
  curl -sS -o /dev/null -c "$userjar" -b "$userjar" --data-urlencode "_csrf=$csrf" --data-urlencode "email=$email" \
    --data-urlencode "password=$password" "$base/pl/login"
  grep otwarty_session "$userjar" | awk '{print $7}' | tail -n 1
}

# An anonymous incident report through the public form; prints the page it answers with.
report_incident() {
  local lang=$1 anonjar="$work/cookies-anon" page csrf
  page=$(curl -fsS -c "$anonjar" -b "$anonjar" "$base/$lang/report-incident")
  csrf=$(grep -Eo 'name="_csrf" value="[0-9a-f]{64}"' <<<"$page" | head -n 1 | grep -Eo '[0-9a-f]{64}')
  curl -sS -c "$anonjar" -b "$anonjar" --data-urlencode "_csrf=$csrf" --data-urlencode "category=verbal-abuse" \
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
