#!/usr/bin/env bash
# Compares two captures made by .ci/capture.sh (e.g. the binary before and after a restructuring):
# per identity the number of URLs in each, how many answered identically, the URLs only one of them
# reached, and for each URL that differs a short unified diff (single-line JSON is pretty-printed
# first so the diff shows the field that changed).
# Usage: bash .ci/capture-compare.sh BEFORE AFTER
#   COMPARE_MAX_URLS=N    differing URLs shown with a diff (default 30; the rest only counted)
#   COMPARE_DIFF_LINES=N  lines of each diff shown (default 24)
# Exits 0 when both captures are identical, 1 when they differ, 2 on bad arguments.
set -euo pipefail
if [ $# -ne 2 ]; then echo "usage: bash .ci/capture-compare.sh BEFORE AFTER" >&2; exit 2; fi
for d in "$1" "$2"; do
  test -f "$d/index.tsv" || { echo "capture-compare: $d/index.tsv missing: not a capture folder" >&2; exit 2; }
done
cd "$(dirname "$0")/.."
exec python3 - "$1" "$2" "${COMPARE_MAX_URLS:-30}" "${COMPARE_DIFF_LINES:-24}" <<'EOF'
import difflib
import json
import os
import sys

sys.path.insert(0, "Tests/capture")
from crawl import file_name  # noqa: E402  the same file names the capture wrote

before, after, max_urls, diff_lines = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])


def index(folder):
    rows = {}
    with open(os.path.join(folder, "index.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            role, url, status, digest = line.rstrip("\n").split("\t")
            rows.setdefault(role, {})[url] = (status, digest)
    return rows


def readable(folder, role, url):
    with open(os.path.join(folder, role, file_name(url)), encoding="utf-8", errors="replace") as f:
        text = f.read()
    head, sep, body = text.partition("\n\n")
    if body.lstrip().startswith(("{", "[")) and body.count("\n") <= 1:
        try:
            body = json.dumps(json.loads(body), indent=1, ensure_ascii=False) + "\n"
        except ValueError:
            pass
    return (head + sep + body).splitlines(keepends=True)


def shorten(lines, width=300):
    """Long lines cut to a window around the first character where a removed line and the added line
    at the same place in its hunk differ."""
    removed = [l for l in lines if l.startswith("-")]
    added = [l for l in lines if l.startswith("+")]
    out, seen_removed, seen_added = [], 0, 0
    for line in lines:
        partner = None
        if line.startswith("-"):
            partner = added[seen_removed] if seen_removed < len(added) else None
            seen_removed += 1
        elif line.startswith("+"):
            partner = removed[seen_added] if seen_added < len(removed) else None
            seen_added += 1
        if len(line) <= width:
            out.append(line)
            continue
        at = 1
        if partner is not None:
            at = next((i for i, (x, y) in enumerate(zip(line, partner)) if x != y and i > 0), min(len(line), len(partner)))
        start = max(1, at - width // 3)
        out.append(line[0] + ("…" if start > 1 else "") + line[start:start + width] + ("…" if start + width < len(line) else ""))
    return out


a, b = index(before), index(after)
roles = list(a) + [r for r in b if r not in a]
print(f"capture-compare: {before} → {after}")
print(f"{'identity':<24}{'before':>8}{'after':>8}{'identical':>11}{'differ':>8}{'only before':>13}{'only after':>12}")
differing, only = [], []
for role in roles:
    ra, rb = a.get(role, {}), b.get(role, {})
    common = [u for u in ra if u in rb]
    same = sum(1 for u in common if ra[u] == rb[u])
    diff = [u for u in common if ra[u] != rb[u]]
    only_a = [u for u in ra if u not in rb]
    only_b = [u for u in rb if u not in ra]
    differing += [(role, u) for u in diff]
    only += [(role, "before", u) for u in only_a] + [(role, "after", u) for u in only_b]
    print(f"{role:<24}{len(ra):>8}{len(rb):>8}{same:>11}{len(diff):>8}{len(only_a):>13}{len(only_b):>12}")

if only:
    print(f"\nURLs reached by one capture only ({len(only)}):")
    for role, side, url in only[:max_urls]:
        print(f"  {role}: {url} (only {side})")
    if len(only) > max_urls:
        print(f"  … and {len(only) - max_urls} more")
if differing:
    print(f"\nURLs answered differently ({len(differing)}):")
    for role, url in differing[:max_urls]:
        sa, sb = a[role][url][0], b[role][url][0]
        print(f"\n--- {role} {url}" + (f" (status {sa} → {sb})" if sa != sb else ""))
        lines = list(difflib.unified_diff(readable(before, role, url), readable(after, role, url),
                                          "before", "after", n=1))
        for line in shorten([l.rstrip("\n") for l in lines[2:2 + diff_lines]]):
            print("  " + line)
        if len(lines) - 2 > diff_lines:
            print(f"  … {len(lines) - 2 - diff_lines} more diff lines")
    if len(differing) > max_urls:
        print(f"\n… and {len(differing) - max_urls} more differing URLs:")
        for role, url in differing[max_urls:max_urls + 200]:
            print(f"  {role}: {url}")
        if len(differing) > max_urls + 200:
            print(f"  … and {len(differing) - max_urls - 200} more")
total = sum(len(v) for v in a.values())
if not differing and not only:
    print(f"\ncapture-compare: identical ({total} answers)")
    sys.exit(0)
print(f"\ncapture-compare: {len(differing)} URLs differ, {len(only)} reached by one capture only")
sys.exit(1)
EOF
