#!/usr/bin/env python3
"""Part 2 of the attack suite: every query, form and path parameter with extreme values.

Parameters come from the crawl (links' query strings and form fields, as each identity saw them)
and from the OpenAPI document (query and path parameters). Each is sent with huge, negative, zero,
empty, repeated, non-numeric, fractional and 100 kB values while the other parameters keep their
ordinary values. Expected: never a 5xx, and /healthz answers after each batch of 40 requests
(and after any request that got no answer, which then names the culprit). A transport error is accepted only for the 100 kB value in a URL (the server may
close the connection) and only while /healthz still answers.
Usage: extremes.py BASE_URL [--budget SECONDS]
"""
import argparse
import urllib.parse

from common import (LANGUAGE, ROLES, UNSAFE, Results, deadline, fill as fill_pattern, healthy, identities,
                    load_json, load_routes, main_guard, route_for)
from forms import NEVER_SUBMIT, fill

HUGE = "A" * 100_000
BATCH = 40  # requests between two /healthz checks (a request that stops the server fails itself too)
# The kinds the issue names come first (huge, negative, zero, empty, repeated, non-numeric, 100 kB), so a
# run cut short by its time budget has still tried every parameter with them.
VALUES = ["9223372036854775807", "-9223372036854775808", "0", "", ("1", "2"), "abc", HUGE, "-1",
          "99999999999999999999999999", "1e309", "NaN", "1.5", "-0", " 7 ", "0x1F", "٣", "2147483648",
          "18446744073709551616", "9999-99-99", "../../etc/passwd", "%00"]


def describe(value):
    if isinstance(value, tuple):
        return "repeated " + "&".join(value)
    return f"{len(value)} bytes" if len(value) > 40 else repr(value)


def targets_from_crawl(people, routes):
    """(identity, method, path, base params list, parameter, is_form, enctype) per route and parameter."""
    found, order = {}, ["administrator", "programme-coordinator", "incident-handler", "unit-coordinator", "partner",
                        "viewer", "anonymous"]
    for name in order:
        if name not in people:
            continue
        crawl = load_json(f"crawl-{name}.json", {"links": [], "forms": []})
        for link in crawl["links"]:
            path, _, query = link.partition("?")
            params = urllib.parse.parse_qsl(query, keep_blank_values=True)
            route = route_for(path, "GET", routes)
            if not route or not params:
                continue
            for key, _ in params:
                found.setdefault((route["pattern"], "GET", key), (name, "GET", path, params, key, False, ""))
        for form in crawl["forms"]:
            method = form["method"]
            path = form["action"].split("?")[0]
            route = route_for(path, method, routes)
            if not route or NEVER_SUBMIT.search(path):
                continue
            for field in form["fields"]:
                if field["name"] == "_csrf" or field["type"] in ("submit", "button", "file"):
                    continue
                found.setdefault((route["pattern"], method, field["name"]),
                                 (name, method, path, form, field["name"], True, form.get("enctype", "")))
    return list(found.values())


def targets_from_openapi(people, document):
    found = []
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if method.upper() not in ("GET", "POST", "PATCH", "PUT", "DELETE") or not isinstance(operation, dict):
                continue
            parameters = operation.get("parameters", []) + operations.get("parameters", [])
            who = "administrator" if operation.get("security", [{}]) not in ([], [{}]) else "anonymous"
            concrete = path
            for p in parameters:
                if p.get("in") == "path":
                    concrete = concrete.replace("{" + p["name"] + "}", "1")
            for p in parameters:
                if p.get("in") == "query" and method.upper() == "GET":
                    found.append((who, "GET", "/api/v1" + concrete if not concrete.startswith("/api") else concrete,
                                  [], p["name"], False, ""))
    return found


def path_targets(routes):
    """Path parameters that are numbers or years, with every extreme value in their place."""
    found = []
    for route in routes:
        segments = route["pattern"].split("/")
        for index, segment in enumerate(segments):
            if segment in (":id", ":year", ":number"):
                found.append((route, index))
    return found


def send(who, method, path, params, key, value, is_form, form):
    if is_form:
        data, files = fill(form)
        data = [(k, v) for k, v in data if k != key]
        for v in (value if isinstance(value, tuple) else (value,)):
            data.append((key, v))
        if method == "GET":
            return who.request("GET", path, params=data)
        return who.request(method, path, data=data, files=files or None)
    query = [(k, v) for k, v in params if k != key]
    for v in (value if isinstance(value, tuple) else (value,)):
        query.append((key, v))
    return who.request(method, path, params=query)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--budget", type=int, default=120)
    args = parser.parse_args()
    results = Results("extremes")
    out_of_time = deadline(args.budget)
    people = identities(args.base)
    routes = load_routes()
    document = people["anonymous"].request("GET", "/api/v1/openapi.json").json()
    targets = targets_from_crawl(people, routes) + targets_from_openapi(people, document)
    paths = path_targets(routes)
    print(f"extremes: {len(targets)} parameters and {len(paths)} path parameters, {len(VALUES)} values each", flush=True)
    sent = 0
    # Value by value over every parameter, so a budget cut still leaves every parameter tried with the first values.
    for value in VALUES:
        if out_of_time():
            print(f"extremes: time budget reached before the value {describe(value)}", flush=True)
            break
        for who_name, method, path, params, key, is_form, form in targets:
            who = people[who_name]
            try:
                response = send(who, method, path, params if not is_form else None, key, value, is_form, params)
                sent += 1
                results.check(response.status_code < 500,
                              f"{who_name} {method} {path} {key}={describe(value)} → {response.status_code}")
            except Exception as error:  # noqa: BLE001
                alive = healthy(args.base)
                results.check(value is HUGE and method == "GET" and alive,
                              f"{who_name} {method} {path} {key}={describe(value)}: no answer ({error.__class__.__name__})")
                if not alive:
                    results.check(False, f"/healthz stopped answering after {who_name} {method} {path} {key}={describe(value)}")
                    return results.finish()
            if sent % BATCH == 0 and not healthy(args.base):
                results.check(False, f"/healthz stopped answering in the batch ending with {who_name} {method} {path} "
                                     f"{key}={describe(value)}")
                return results.finish()
        if isinstance(value, tuple):
            continue
        for route, index in paths:
            segments = route["pattern"].split("/")
            concrete = fill_pattern(route["pattern"], []).split("/")
            concrete[index] = urllib.parse.quote(value, safe="") if value else ""
            if value == "":
                continue
            url = "/".join(concrete)
            allowed = route["access"]
            who_name = "anonymous" if "everyone" in allowed else next(r for r in ROLES if r in allowed)
            who = people[who_name]
            is_api = route["pattern"].startswith("/api/")
            data = {"_csrf": who.csrf()} if route["method"] in UNSAFE and not is_api else None
            try:
                response = who.request(route["method"], url, data=data,
                                       json_body={} if route["method"] in UNSAFE and is_api else None)
                sent += 1
                results.check(response.status_code < 500, f"{who_name} {route['method']} {url[:120]} → {response.status_code}")
            except Exception as error:  # noqa: BLE001
                results.check(value is HUGE and healthy(args.base),
                              f"{who_name} {route['method']} {url[:120]}: no answer ({error.__class__.__name__})")
        if not healthy(args.base):
            results.check(False, f"/healthz stopped answering after path values {describe(value)}")
            return results.finish()
    print(f"extremes: {sent} requests", flush=True)
    return results.finish()


if __name__ == "__main__":
    main_guard(main)
