#!/usr/bin/env python3
"""Part 4 of the attack suite: stored and reflected scripts.

1. Every form each identity reached while crawling (except those in forms.NEVER_SUBMIT) is
   submitted with a script payload in all its text fields at once, and, when that is refused,
   in each text field alone (the others valid); URL-like fields also get a `javascript:` URL.
   Every answer (a stored page or a form shown again with its errors) must not contain the
   payload unescaped.
2. Every page each identity reaches afterwards that shows a payload is opened in headless
   Chromium with alert/confirm/prompt replaced by recorders before any page script runs.
   Counted as scripts run: a recorded call, a console message about a blocked inline script
   (CSP), an inline <script>, an on* attribute or a javascript: link in the DOM, or the mustache
   marker rendered (template injection). Expected: 0.
Usage: xss.py BASE_URL [--budget SECONDS]
"""
import argparse
import re
import time
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

import crawl as crawler
from common import (Results, deadline, identities, load_json, load_routes, main_guard, route_for,
                    same_site_path)
from forms import NEVER_SUBMIT, fill, text_fields

PAYLOADS = [
    "x\"><script>alert(1)</script><img src=x onerror=alert(2)>'><svg onload=alert(3)>zz{{page.language}}zz",
    "' onmouseover='alert(5)' autofocus onfocus='alert(6)' x='\" onfocus=\"alert(7)\" y=\"",
]
URL_PAYLOAD = "javascript:alert(4)"
URL_LIKE = re.compile(r"(url|link|website|href|evidence)", re.I)
MARKERS = ("alert(", "zz{{", "zzpl", "javascript:")
RAW = re.compile(r"(<script>alert|<img src=x onerror|<svg onload|zzplzz|zzenzz|\son\w+='alert|\son\w+=\"alert)")
HOOK = """
window.__xss = [];
for (const name of ['alert', 'confirm', 'prompt']) {
  Object.defineProperty(window, name, {value: function (m) { window.__xss.push(name + ':' + m); return name === 'prompt' ? '' : true; },
                                       writable: false, configurable: false});
}
"""
DOM_CHECK = """
const found = [];
for (const s of document.querySelectorAll('script:not([src])')) found.push('inline script: ' + s.textContent.slice(0, 60));
for (const e of document.querySelectorAll('*')) {
  for (const a of e.attributes) {
    if (/^on/i.test(a.name)) found.push('attribute ' + a.name + ' on <' + e.tagName.toLowerCase() + '>');
    if ((a.name === 'href' || a.name === 'src' || a.name === 'action' || a.name === 'formaction') && /^\\s*javascript:/i.test(a.value))
      found.push(a.name + '=' + a.value + ' on <' + e.tagName.toLowerCase() + '>');
  }
}
return {calls: window.__xss || ['hook missing'], dom: found, text: document.documentElement.outerHTML.includes('zzplzz')};
"""


def store(people, routes, results, out_of_time):
    """Submits the payloads through every form; returns reflected GET URLs to open in the browser."""
    reflected, done, submitted = [], set(), 0
    for name, who in people.items():
        for form in load_json(f"crawl-{name}.json", {"forms": []})["forms"]:
            if out_of_time():
                print("xss: time budget reached while submitting forms", flush=True)
                return reflected, submitted
            action = form["action"].split("?")[0]
            route = route_for(action, form["method"], routes)
            fields = text_fields(form)
            key = (route["pattern"] if route else action, form["method"], tuple(fields))
            if key in done or NEVER_SUBMIT.search(action) or not fields:
                continue
            done.add(key)
            attempts = [(p, None) for p in PAYLOADS]
            url_fields = [f for f in fields if URL_LIKE.search(f)] + \
                [f["name"] for f in form["fields"] if f["type"] == "url" and not URL_LIKE.search(f["name"])]
            if url_fields:
                attempts.append((URL_PAYLOAD, url_fields))
            for payload, only in attempts:
                tries = [only] if only else [None] + [[f] for f in fields]
                for chosen in tries:
                    data, files = fill(form, payload, chosen)
                    if form["method"] == "GET":
                        url = action + "?" + urllib.parse.urlencode(data)
                        reflected.append((name, url))
                        response = who.request("GET", url)
                    else:
                        response = who.request(form["method"], action, data=data, files=files or None)
                    submitted += 1
                    results.check(response.status_code < 500,
                                  f"{name} {form['method']} {action} with a payload in {chosen or 'every text field'} → "
                                  f"{response.status_code}")
                    raw = RAW.search(response.text) if "html" in response.headers.get("Content-Type", "") else None
                    results.check(raw is None, f"{name} {form['method']} {action}: the answer shows the payload "
                                               f"unescaped ({raw.group(0) if raw else ''})")
                    if response.status_code in (302, 303) or form["method"] == "GET":
                        break  # stored (or shown) with the payload in every field chosen: no need for one at a time
    return reflected, submitted


def browser():
    options = Options()
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1024"]:
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK})
    return driver


def self_test(driver, base, results):
    """The detectors must see a script that runs and one that CSP blocks, or a clean result means nothing."""
    driver.get(base + "/pl/accessibility")
    driver.execute_script("alert('self-test')")
    driver.execute_script("const i = document.createElement('img'); i.setAttribute('onerror', 'alert(9)'); "
                          "i.src = 'x:'; document.body.appendChild(i);")
    time.sleep(0.3)
    state = driver.execute_script(DOM_CHECK)
    logs = [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]
    results.check(state["calls"] == ["alert:self-test"], f"self-test: the alert hook recorded {state['calls']}")
    results.check(any("onerror" in d for d in state["dom"]), f"self-test: the DOM check found {state['dom']}")
    results.check(bool(logs), "self-test: no CSP report in the console for a blocked inline handler")


def view(base, people, routes, results, reflected, out_of_time):
    driver = browser()
    opened = 0
    try:
        self_test(driver, base, results)
        for name, who in people.items():
            if out_of_time():
                print("xss: time budget reached while opening pages", flush=True)
                break
            # What this identity reaches now, with the stored payloads in place (the crawl again, quietly).
            quiet = Results(f"xss-crawl-{name}")
            quiet.check = lambda ok, message: ok
            pages, _, _ = crawler.crawl(base, who, routes, quiet, deadline(15), 250, check_newcomers=False,
                                        shows=lambda text: any(m in text for m in MARKERS))
            showing = [page["url"] for page in pages if page.get("shows") and page["status"] < 300]
            showing += [url for who_name, url in reflected if who_name == name]
            driver.delete_all_cookies()
            driver.get(base + "/healthz")
            driver.delete_all_cookies()
            if who.session_token:
                driver.add_cookie({"name": "otwarty_session", "value": who.session_token, "path": "/"})
            print(f"xss: {name}: {len(showing)} pages show a payload", flush=True)
            for url in dict.fromkeys(showing):
                if out_of_time():
                    break
                driver.get(base + url)
                time.sleep(0.05)
                state = driver.execute_script(DOM_CHECK)
                # A page refusing the payload (422 for a search it cannot read) logs "Failed to load
                # resource" with the address, which holds "alert": a status, not a script.
                logs = [entry["message"] for entry in driver.get_log("browser")
                        if "Content Security Policy" in entry["message"]
                        or ("alert" in entry["message"] and "Failed to load resource" not in entry["message"])]
                opened += 1
                results.check(not state["calls"], f"{name} {url}: scripts ran: {state['calls']}")
                results.check(not state["dom"], f"{name} {url}: payload became markup: {state['dom'][:3]}")
                results.check(not state["text"], f"{name} {url}: the mustache marker was rendered (template injection)")
                results.check(not logs, f"{name} {url}: CSP blocked a script: {logs[:2]}")
    finally:
        driver.quit()
    return opened


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--budget", type=int, default=140)
    args = parser.parse_args()
    results = Results("xss")
    out_of_time = deadline(args.budget)
    people = identities(args.base)
    routes = load_routes()
    reflected, submitted = store(people, routes, results, out_of_time)
    opened = view(args.base, people, routes, results, reflected, out_of_time)
    print(f"xss: {submitted} submissions with payloads, {opened} pages opened in Chromium", flush=True)
    return results.finish()


if __name__ == "__main__":
    main_guard(main)
