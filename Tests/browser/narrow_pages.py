#!/usr/bin/env python3
"""Every page of every role at phone width (390 px) in headless Chromium: fails when a page scrolls
sideways, i.e. when `document.documentElement.scrollWidth > window.innerWidth`.

Usage: narrow_pages.py BASE_URL [--session ROLE=TOKEN ...] [--languages pl,en,uk,ru] [--screenshots DIR]

Anonymous visitors get the public pages; each signed-in role gets the staff pages, the detail pages
found from the listings (the first record, organisation, incident case, report year), and the home
page (to see its header and menu). The page lists are axe_pages.py's, so a page added there is
checked here too. For each page that overflows, the report names the page and the elements that
stick out past the right edge (the outermost ones, whose parent still fits, and the widest), so the
cause can be found without opening a browser. One browser is reused for all roles (cookies swapped).
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from axe_pages import LANGUAGES, PUBLIC, SIGNED_IN, SLUG  # noqa: E402  (shared page lists)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402

WIDTH = 390

# Detail pages, found on a listing page: (listing path, pattern of a link on it without language prefix).
DETAILS = [
    ("/activities", r"^/activities/\d+$"),
    ("/review", r"^/activities/\d+$"),
    ("/organisations", r"^/organisations/\d+$"),
    ("/incidents", r"^/incidents/\d+$"),
    ("/reports", r"^/reports/\d{4}$"),
    (f"/programmes/{SLUG}/risks", rf"^/programmes/{SLUG}/risks/\d+/details$"),
    ("/manage/dialogue-bodies", r"^/manage/dialogue-bodies/\d+$"),
    ("/manage/assistants", r"^/manage/assistants/\d+$"),
]
# Staff pages not in axe_pages.py's list (they need a role the axe run does not sign in with).
MORE_SIGNED_IN = ["/admin/handler-accounts", "/admin/organisations", f"/programmes/{SLUG}/risks/new",
                  f"/programmes/{SLUG}/risks/assessments"]

# Finds what sticks out past the right edge. Elements inside a box that scrolls or clips sideways
# do not widen the page, so they are left out. Each element is named by a short CSS path.
OVERFLOW_SCRIPT = """
const limit = window.innerWidth + 0.5;
function name(el) {
  const parts = [];
  for (let e = el; e && e.nodeType === 1 && e !== document.body && parts.length < 4; e = e.parentElement) {
    let part = e.tagName.toLowerCase();
    if (e.id) { part += '#' + e.id; parts.unshift(part); break; }
    if (e.classList.length) part += '.' + [...e.classList].join('.');
    parts.unshift(part);
  }
  return parts.join(' > ');
}
// An absolutely positioned element escapes the clipping of every box between it and its containing
// block (its nearest positioned ancestor), e.g. a visually hidden label inside a scrolling table.
function clipped(el) {
  let position = getComputedStyle(el).position;
  if (position === 'fixed') return false;
  let escapes = position === 'absolute';
  for (let e = el.parentElement; e && e !== document.documentElement; e = e.parentElement) {
    const style = getComputedStyle(e);
    if (escapes) {
      if (style.position === 'static') continue;
      escapes = false;  // the containing block: it and the boxes around it clip
    }
    if (style.overflowX !== 'visible') return true;
  }
  return false;
}
const over = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.right <= limit || clipped(el)) continue;
  over.push(el);
}
const outermost = over.filter(el => !over.includes(el.parentElement))
  .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right);
const widest = over.reduce((a, b) => (b.getBoundingClientRect().right > (a ? a.getBoundingClientRect().right : 0) ? b : a), null);
const describe = el => ({name: name(el), right: Math.round(el.getBoundingClientRect().right),
                         width: Math.round(el.getBoundingClientRect().width),
                         text: (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60)});
return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
        outermost: outermost.slice(0, 4).map(describe), widest: widest ? describe(widest) : null};
"""


def driver():
    options = Options()
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={WIDTH},900",
                 "--hide-scrollbars"]:
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    d.set_page_load_timeout(60)
    # A window cannot be made narrower than 500 px; the viewport can. Not "mobile" emulation: a
    # mobile viewport zooms out to fit a page that is too wide, which would hide the overflow.
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                      {"width": WIDTH, "height": 900, "deviceScaleFactor": 1, "mobile": False})
    return d


def sign_in(browser, base, token):
    browser.get(base + "/healthz")
    browser.delete_all_cookies()
    if token:
        browser.add_cookie({"name": "otwarty_session", "value": token, "path": "/"})


def found_details(browser, base, lang):
    """Detail pages linked from the listings this role can open (the first link of each kind)."""
    pages = []
    for listing, pattern in DETAILS:
        browser.get(f"{base}/{lang}{listing}")
        prefix = f"/{lang}"
        hrefs = browser.execute_script(
            "return [...document.querySelectorAll('main a[href]')].map(a => a.getAttribute('href'))")
        for href in hrefs:
            path = href.split("?")[0].split("#")[0]
            if path.startswith(prefix) and re.match(pattern, path[len(prefix):]):
                page = path[len(prefix):]
                if page not in pages:
                    pages.append(page)
                    # The record's form too (its edit link is on the record page).
                    if re.match(r"^/activities/\d+$", page):
                        pages.append(page + "/edit")
                break
    return pages


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--session", action="append", default=[], metavar="ROLE=TOKEN",
                        help="a signed-in role to check besides the anonymous visitor")
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    parser.add_argument("--screenshots")
    args = parser.parse_args()
    roles = [("anonymous", None)] + [tuple(s.split("=", 1)) for s in args.session]
    languages = args.languages.split(",")
    browser = driver()
    failures = checked = 0
    try:
        browser.get(args.base + "/healthz")
        inner = browser.execute_script("return window.innerWidth")
        if inner != WIDTH:
            print(f"narrow: the window is {inner} px wide, not {WIDTH}")
            return 1
        for role, token in roles:
            sign_in(browser, args.base, token)
            for lang in languages:
                if token:
                    pages = ["/"] + SIGNED_IN + MORE_SIGNED_IN + found_details(browser, args.base, lang)
                else:
                    pages = PUBLIC
                for page in pages:
                    url = f"{args.base}/{lang}{page}"
                    browser.get(url)
                    checked += 1
                    result = browser.execute_script(
                        "return [document.documentElement.scrollWidth, window.innerWidth]")
                    if args.screenshots:
                        folder = os.path.join(args.screenshots, role)
                        os.makedirs(folder, exist_ok=True)
                        name = f"{lang}{page}".strip("/").replace("/", "_").replace("?", "_") or lang
                        browser.save_screenshot(os.path.join(folder, name + ".png"))
                    if result[0] <= result[1]:
                        continue
                    failures += 1
                    detail = browser.execute_script(OVERFLOW_SCRIPT)
                    print(f"SIDEWAYS {role} {lang}{page}: {detail['scrollWidth']} px wide in {detail['innerWidth']} px")
                    for el in detail["outermost"]:
                        print(f"    outermost: {el['name']} (right edge {el['right']} px, {el['width']} px wide) «{el['text']}»")
                    if detail["widest"]:
                        el = detail["widest"]
                        print(f"    widest:    {el['name']} (right edge {el['right']} px) «{el['text']}»")
    finally:
        browser.quit()
    print(f"narrow: {checked} pages checked at {WIDTH} px, {failures} scroll sideways")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
