#!/usr/bin/env bash
# The annual report as a council member receives it: with demo data, the CLI writes the 2025
# report as ODT and PDF; LibreOffice turns the ODT into PDF; pdftotext must find the report's
# title and the weighted index the indicator API gives, in both PDFs.
set -euo pipefail
trap 'echo "report: failed at line $LINENO" >&2' ERR
cd "$(dirname "$0")/.."

if ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui poppler-utils >/dev/null
fi

work=$(mktemp -d)
trap 'kill ${pid:-} 2>/dev/null || true; rm -rf "$work"' EXIT
export DATABASE_URL="sqlite://$work/report.sqlite"
bin=.build/debug/otwarty
$bin demo --records 3000 >/dev/null
$bin report 2025 --format odt --out "$work/report-2025.odt" 2>"$work/progress"
grep -q 'wrote .*report-2025.odt' "$work/progress"
$bin report 2025 --format pdf --out "$work/chromium-2025.pdf" 2>/dev/null
rc=0
$bin report 2031 --format odt --out "$work/x.odt" 2>"$work/err" || rc=$?
test "$rc" != 0 && grep -q '2031 is outside' "$work/err"

(cd "$work" && soffice --headless --norestore --convert-to pdf report-2025.odt >/dev/null 2>&1)
test -s "$work/report-2025.pdf"

# The weighted index as the report prints it in Polish: one decimal at most, decimal comma.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
OTWARTY_PORT=$port $bin serve >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
index=$(curl -fsS "http://127.0.0.1:$port/api/v1/indicators?year=2025" | python3 -c '
import json, sys
v = round(100 * json.load(sys.stdin)["index"], 1)
print(("%.1f" % v).rstrip("0").rstrip(".").replace(".", ",") + "%")')
kill $pid

for pdf in report-2025.pdf chromium-2025.pdf; do
  pdftotext -layout "$work/$pdf" "$work/$pdf.txt"
  tr -s ' \n' ' ' <"$work/$pdf.txt" >"$work/$pdf.flat"
  grep -q 'Sprawozdanie z realizacji programu za rok 2025' "$work/$pdf.flat" || { echo "$pdf: no title"; head -40 "$work/$pdf.txt"; exit 1; }
  grep -q "Ważony indeks realizacji:\? $index" "$work/$pdf.flat" || { echo "$pdf: no index $index"; grep -i 'indeks' "$work/$pdf.txt" | head; exit 1; }
  echo "report: $pdf has the title and the weighted index $index ($(pdfinfo "$work/$pdf" | awk '/^Pages/ {print $2}') pages)"
done
