#!/usr/bin/env python3
"""Part 1 of the attack suite: every route × every role.

1. The server's route table (`otwarty routes --json`) must equal the checked-in access table
   Tests/attack/access.tsv (method, pattern, roles or `everyone`, optional accepted extra statuses):
   a route missing from the file, a stale line, or a different declared access fails.
2. Each route is requested signed out and as each role (pages with the role's session cookie, the
   API with the role's bearer token), path parameters filled with real ids found while crawling;
   unsafe page routes with and without the CSRF token. Expected:
   - allowed: never 401/403 (unless the access table accepts it for that role, e.g. an object the
     role may not touch) and never 5xx;
   - refused: 403 when signed in; 401, or 303 to the sign-in page for a page GET, when signed out;
   - an unsafe page request without the CSRF token: 403 (401 also for a signed-out caller the route refuses);
   - an API route with only a session cookie (no bearer) never authenticates, also as `//api/…`.
Usage: routes.py BASE_URL ACCESS_TSV
"""
import os
import re
import sys

from common import (ROLES, UNSAFE, Results, fill, healthy, identities, load_json, load_routes, main_guard,
                    save_json)

SKIP_LINK = re.compile(r"(/pdf$|\.pdf$)")


def read_access(path):
    table = {}
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 3:
            sys.exit(f"{path}:{number}: expected METHOD<TAB>PATTERN<TAB>ACCESS[<TAB>EXTRA]")
        extra = {}
        for item in (cells[3].split() if len(cells) > 3 else []):
            status, _, who = item.partition(":")
            for role in (who.split(",") if who else ["*"]):
                extra.setdefault(role, set()).add(int(status))
        table[(cells[0], cells[1])] = {"access": sorted(cells[2].split(",")), "extra": extra, "line": number}
    return table


def compare(routes, table, results, path):
    served = {(r["method"], r["pattern"]): sorted(r["access"]) for r in routes}
    for key, access in served.items():
        if key not in table:
            results.check(False, f"route {key[0]} {key[1]} ({','.join(access)}) is missing from {path}")
        else:
            results.check(table[key]["access"] == access,
                          f"route {key[0]} {key[1]} declares {','.join(access)}, {path}:{table[key]['line']} says "
                          f"{','.join(table[key]['access'])}")
    for key, row in table.items():
        results.check(key in served, f"{path}:{row['line']}: {key[0]} {key[1]} is not a route of the server")


def known_links(name):
    """Concrete paths seen by this identity first, then by everyone else (administrator first)."""
    order = [name] + ["administrator", "programme-coordinator", "incident-handler"] + ROLES + ["anonymous"]
    seen, links = set(), []
    for who in order:
        if who in seen:
            continue
        seen.add(who)
        crawl = load_json(f"crawl-{who}.json", {"links": []})
        links += [l.split("?")[0] for l in crawl["links"] if not SKIP_LINK.search(l.split("?")[0])]
    return links


def main():
    base, access_path = sys.argv[1], sys.argv[2]
    results = Results("routes")
    routes = load_routes()
    table = read_access(access_path)
    compare(routes, table, results, os.path.relpath(access_path))
    people = identities(base)
    fixed = load_json("fixed-urls.json", {})  # e.g. the target user for disable/enable (set by attack.sh)
    # Signing out would end the session every later part uses: logout is only tried signed out.
    ordered = sorted(routes, key=lambda r: r["pattern"].endswith("/logout"))
    requests_made = 0
    for route in ordered:
        method, pattern, access, is_page = route["method"], route["pattern"], route["access"], route["isPage"]
        row = table.get((method, pattern), {"extra": {}})
        is_api = pattern.startswith("/api/")
        for name, who in people.items():
            if name != "anonymous" and pattern.endswith("/logout"):
                continue
            url = fixed.get(pattern) or fill(pattern, known_links(name))
            allowed = "everyone" in access or name in access
            extra = row["extra"].get(name, set()) | row["extra"].get("*", set())
            variants = [("csrf", True)]
            if method in UNSAFE and not is_api:
                variants.append(("no-csrf", False))
            for label, with_csrf in variants:
                data = None
                body = None
                if method in UNSAFE and not is_api:
                    data = {"_csrf": who.csrf()} if with_csrf else {"ignored": "1"}
                elif method in UNSAFE:
                    body = {}
                try:
                    response = who.request(method, url, data=data, json_body=body)
                except Exception as error:  # noqa: BLE001
                    results.check(False, f"{name} {method} {url}: no answer ({error.__class__.__name__})")
                    continue
                requests_made += 1
                status = response.status_code
                what = f"{name} {method} {url} [{label}] → {status}"
                if status >= 500:
                    results.check(False, f"{what}: server error (allowed={allowed})")
                    continue
                if label == "no-csrf":
                    ok = status == 403 or (name == "anonymous" and not allowed and status == 401)
                    results.check(ok, f"{what}: expected 403 without the CSRF token")
                elif allowed:
                    results.check(status not in (401, 403) or status in extra,
                                  f"{what}: the access table allows {name} (declared {','.join(access)})")
                elif name == "anonymous":
                    location = response.headers.get("Location", "")
                    ok = status == 401 or (is_page and method == "GET" and status == 303 and "/login" in location)
                    results.check(ok, f"{what}: expected 401 or a redirect to sign-in (Location: {location})")
                else:
                    results.check(status == 403, f"{what}: expected 403 (declared {','.join(access)})")
            if is_api and name != "anonymous" and who.session_token and "everyone" not in access:
                # A session cookie alone never authenticates the API, however the path is spelled.
                for spelled in (url, "/" + url):
                    try:
                        response = who.request(method, spelled, bearer=False, json_body={} if method in UNSAFE else None)
                    except Exception as error:  # noqa: BLE001
                        results.check(False, f"{name} {method} {spelled} (cookie only): no answer ({error.__class__.__name__})")
                        continue
                    requests_made += 1
                    # 401 (not signed in); a doubled slash may also be refused outright (400/404) or redirected.
                    expected = (401,) if not spelled.startswith("//") else (400, 401, 404, 301, 308)
                    results.check(response.status_code in expected,
                                  f"{name} {method} {spelled} with only a session cookie → {response.status_code}: "
                                  f"expected one of {expected}")
    results.check(healthy(base), "the server stopped answering /healthz during the route matrix")
    print(f"routes: {len(routes)} routes, {requests_made} requests", flush=True)
    return results.finish()


if __name__ == "__main__":
    main_guard(main)
