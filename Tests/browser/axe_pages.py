#!/usr/bin/env python3
"""Opens every page in every language in headless Chromium and runs axe-core (WCAG 2.0/2.1 A and AA).

Usage: axe_pages.py BASE_URL [--session TOKEN] [--screenshots DIR]
Exits non-zero on any violation. Chromium and chromedriver come from Debian's packages; Selenium from
PyPI; axe-core 4.x from the axe-playwright-python wheel (installed with --no-deps).
"""
import argparse
import json
import os
import sys

import axe_playwright_python
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

LANGUAGES = ["pl", "en", "uk", "ru"]
SLUG = "otwarty-krakow-2024-2028"
PUBLIC = ["/", f"/programmes/{SLUG}", f"/programmes/{SLUG}/goals/1", f"/programmes/{SLUG}/goals/4",
          f"/programmes/{SLUG}/tasks/4.2", f"/programmes/{SLUG}/results", f"/programmes/{SLUG}/risks",
          "/login", "/nowhere", "/report-incident", "/report-incident/status", "/report-incident/received",
          "/incident-statistics",
          "/progress", "/progress?year=2025", "/events", "/open-data", "/accessibility", "/documents", "/service-points",
          "/patronage", "/ambassador"]
SIGNED_IN = ["/admin/users", "/dashboard", "/dashboard?year=2025", "/activities", "/activities/new", "/review", "/review?flagged=1",
             "/organisations", "/reference-statistics", "/import", "/import/codes", "/reports", "/reports/2025", "/reports/2025/narrative",
             "/budget", "/budget?year=2025", "/incidents", "/conflict-risk", "/manage/documents",
             "/manage/service-points", "/manage/patronage", "/manage/ambassador", "/account/two-factor", "/account/password",
             "/manage/dialogue-bodies", "/manage/assistants", "/reports/products", "/reports/products/2.2/1"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def driver():
    options = Options()
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1024"]:
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    d.set_script_timeout(60)
    return d


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--session")
    parser.add_argument("--extra", action="append", default=[], help="extra paths without language prefix")
    parser.add_argument("--screenshots")
    parser.add_argument("--pages", help="comma-separated paths without language prefix, instead of the default lists")
    args = parser.parse_args()
    axe = open(os.path.join(os.path.dirname(axe_playwright_python.__file__), "axe.min.js")).read()
    browser = driver()
    failures = 0
    checked = 0
    try:
        browser.get(args.base + "/healthz")
        if args.session:
            browser.add_cookie({"name": "otwarty_session", "value": args.session, "path": "/"})
        pages = PUBLIC + args.extra + (SIGNED_IN if args.session else [])
        if args.pages:
            pages = args.pages.split(",")
        for lang in LANGUAGES:
            for page in pages:
                url = f"{args.base}/{lang}{page}"
                browser.get(url)
                browser.execute_script(axe)
                result = browser.execute_async_script(
                    "const done = arguments[arguments.length - 1];"
                    "axe.run(document, {runOnly: {type: 'tag', values: %s}}).then(r => done(r)).catch(e => done({error: String(e)}));"
                    % json.dumps(WCAG))
                checked += 1
                if "error" in result:
                    print(f"ERROR {url}: {result['error']}")
                    failures += 1
                    continue
                for v in result["violations"]:
                    failures += 1
                    print(f"VIOLATION {url}: {v['id']} ({v['impact']}): {v['help']}")
                    for node in v["nodes"][:3]:
                        print(f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1] if node.get('failureSummary') else ''}")
                if args.screenshots:
                    os.makedirs(args.screenshots, exist_ok=True)
                    name = f"{lang}{page}".strip("/").replace("/", "_") or lang
                    browser.save_screenshot(os.path.join(args.screenshots, name + ".png"))
    finally:
        browser.quit()
    print(f"axe: {checked} pages checked, {failures} violations")
    print(f"{checked - min(failures, checked)} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
