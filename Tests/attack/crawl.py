#!/usr/bin/env python3
"""Part 5 of the attack suite, and the discovery the other parts use: crawls every page each
identity reaches (anonymous and every role), checking the headers of every response:

- a Content-Security-Policy that is strict (no 'unsafe-inline'/'unsafe-eval'/wildcards for
  scripts, object-src 'none', base-uri and frame-ancestors restricted) on every HTML page;
- `X-Content-Type-Options: nosniff` on every response;
- no response both cacheable (public, or max-age/s-maxage > 0, without private/no-store) and
  carrying Set-Cookie.

Anonymous pages are also requested once without any cookie, as a first visit (the answer that
may set the anonymous CSRF cookie). Writes crawl-IDENTITY.json (pages, links, forms) into $ATTACK_WORK for the other parts.
Usage: crawl.py BASE_URL [--budget SECONDS] [--max-pages N]
"""
import argparse
import re
import urllib.parse

import requests

from common import (LANGUAGE, SLUG, Results, healthy, identities, load_routes, main_guard, pattern_regex,
                    read_page, route_for, same_site_path, save_json)

START = ["/", f"/{LANGUAGE}", f"/{LANGUAGE}/dashboard", f"/{LANGUAGE}/programmes/{SLUG}", f"/{LANGUAGE}/login",
         f"/{LANGUAGE}/report-incident", f"/{LANGUAGE}/report-incident/status", f"/{LANGUAGE}/incident-statistics",
         f"/{LANGUAGE}/progress", f"/{LANGUAGE}/events", f"/{LANGUAGE}/open-data", f"/{LANGUAGE}/accessibility",
         f"/{LANGUAGE}/documents", f"/{LANGUAGE}/service-points", f"/{LANGUAGE}/patronage", f"/{LANGUAGE}/ambassador",
         "/api/v1/openapi.json", "/api/v1/programme", "/api/v1/programmes", "/api/v1/open-data",
         "/api/v1/statistics/incidents", "/api/v1/indicators", "/api/v1/activities", "/static/otwarty.css", "/healthz"]
# Every other language's home and one form page, so the header check sees each language once.
START += [f"/{lang}{page}" for lang in ("en", "uk", "ru") for page in ("", "/report-incident", "/dashboard")]
# Rendering a PDF starts a browser on the server: the crawl leaves it to the route matrix.
SKIP = re.compile(r"(/pdf$|\.pdf$|/logout$)")
PER_SHAPE = 3  # concrete URLs fetched per (route, query keys)


def csp_problems(value):
    if not value:
        return ["no Content-Security-Policy"]
    directives = {}
    for part in value.split(";"):
        words = part.strip().split()
        if words:
            directives[words[0].lower()] = [w.lower() for w in words[1:]]
    problems = []
    script = directives.get("script-src", directives.get("default-src"))
    if script is None:
        problems.append("neither script-src nor default-src")
    else:
        for bad in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:", "blob:"):
            if bad in script:
                problems.append(f"scripts allow {bad}")
    if directives.get("object-src", directives.get("default-src")) not in (["'none'"],):
        problems.append("object-src is not 'none'")
    if directives.get("base-uri") not in (["'none'"], ["'self'"]):
        problems.append("base-uri not restricted")
    if directives.get("frame-ancestors") not in (["'none'"], ["'self'"]):
        problems.append("frame-ancestors not restricted")
    return problems


def cacheable(cache_control):
    value = (cache_control or "").lower()
    if "no-store" in value or "private" in value:
        return False
    ages = [int(m) for m in re.findall(r"(?:s-)?max-age\s*=\s*(\d+)", value)]
    return "public" in value or any(a > 0 for a in ages)


def check_headers(results, who, url, response):
    h = response.headers
    results.check(h.get("X-Content-Type-Options", "").lower() == "nosniff", f"{who} GET {url}: no nosniff")
    if "text/html" in h.get("Content-Type", ""):
        problems = csp_problems(h.get("Content-Security-Policy"))
        results.check(not problems, f"{who} GET {url}: CSP {problems}: {h.get('Content-Security-Policy')}")
    results.check(not (cacheable(h.get("Cache-Control")) and "Set-Cookie" in h),
                  f"{who} GET {url} ({response.status_code}): cacheable ({h.get('Cache-Control')}) and sets a cookie "
                  f"({h.get('Set-Cookie', '').split('=')[0]})")
    results.check(response.status_code < 500, f"{who} GET {url}: {response.status_code}")


def shape(path, routes):
    parsed = urllib.parse.urlsplit(path)
    route = route_for(parsed.path, "GET", routes)
    keys = tuple(sorted(set(k for k, _ in urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))))
    return (route["pattern"] if route else parsed.path, keys)


def crawl(base, identity, routes, results, out_of_time, max_pages, check_newcomers=True, shows=None):
    """Pages, links and forms one identity reaches; `shows(text)` marks pages whose HTML matters to the caller."""
    queue = list(START)
    seen, per_shape = set(), {}
    pages, links, forms = [], set(), []
    while queue and len(pages) < max_pages and not out_of_time():
        path = queue.pop(0)
        if path in seen or SKIP.search(urllib.parse.urlsplit(path).path):
            continue
        seen.add(path)
        key = shape(path, routes)
        if per_shape.get(key, 0) >= PER_SHAPE:
            continue
        per_shape[key] = per_shape.get(key, 0) + 1
        try:
            response = identity.request("GET", path)
        except Exception as error:  # noqa: BLE001 - any transport failure is a finding
            results.check(False, f"{identity.name} GET {path}: no answer ({error.__class__.__name__})")
            continue
        check_headers(results, identity.name, path, response)
        if identity.role is None and check_newcomers:
            # A first visit, without even the anonymous CSRF cookie: the answer that may set one.
            try:
                first = requests.get(base + path, allow_redirects=False, timeout=30)
                check_headers(results, "newcomer", path, first)
            except requests.RequestException as error:
                results.check(False, f"newcomer GET {path}: no answer ({error.__class__.__name__})")
        pages.append({"url": path, "status": response.status_code, "type": response.headers.get("Content-Type", "")})
        if response.status_code in (301, 302, 303, 307, 308):
            target = same_site_path(response.headers.get("Location", ""), path)
            if target and "/login" not in target:
                queue.append(target)
            continue
        if "text/html" not in response.headers.get("Content-Type", ""):
            continue
        if shows is not None:
            pages[-1]["shows"] = bool(shows(response.text))
        page = read_page(response.text)
        for href in page.links:
            target = same_site_path(href, path)
            if target:
                links.add(target)
                if target not in seen:
                    queue.append(target)
        for form in page.forms:
            action = same_site_path(form["action"], path) or urllib.parse.urlsplit(path).path
            form = dict(form, action=action, page=path)
            forms.append(form)
            links.add(action)
    return pages, sorted(links), forms


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--budget", type=int, default=150)
    parser.add_argument("--max-pages", type=int, default=400)
    args = parser.parse_args()
    routes = load_routes()
    results = Results("headers")
    people = identities(args.base)
    share = args.budget / len(people)
    for name, identity in people.items():
        from common import deadline
        pages, links, forms = crawl(args.base, identity, routes, results, deadline(share), args.max_pages)
        print(f"crawl {name}: {len(pages)} responses, {len(links)} links, {len(forms)} forms", flush=True)
        save_json(f"crawl-{name}.json", {"pages": pages, "links": links, "forms": forms})
    results.check(healthy(args.base), "the server stopped answering /healthz during the crawl")
    return results.finish()


if __name__ == "__main__":
    main_guard(main)
