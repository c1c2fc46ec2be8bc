"""Shared by the attack suite's parts: identities, HTTP without redirects, the route table,
concrete URLs for route patterns, and a simple HTML reader for links and forms.

The suite talks to one server on loopback (BASE) and reads $ATTACK_WORK/identities.json, written by
.ci/attack.sh: {"anonymous": {}, ROLE: {"email", "session", "api"}}.
"""
import html.parser
import json
import os
import re
import secrets
import sys
import time
import urllib.parse

import requests

ROLES = ["administrator", "programme-coordinator", "unit-coordinator", "partner", "viewer", "incident-handler"]
LANGUAGE = "pl"
SLUG = "otwarty-krakow-2024-2028"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
TIMEOUT = 30


def work_dir():
    return os.environ["ATTACK_WORK"]


def load_json(name, default=None):
    path = os.path.join(work_dir(), name)
    if not os.path.exists(path):
        return default
    with open(path) as f:
        return json.load(f)


def save_json(name, value):
    with open(os.path.join(work_dir(), name), "w") as f:
        json.dump(value, f, indent=1, sort_keys=True)


class Identity:
    """Anonymous (role None) or a signed-in role: a cookie session for pages, a bearer token for the API."""

    def __init__(self, base, role=None, session=None, api=None, email=None):
        self.base, self.role, self.session_token, self.api_token, self.email = base, role, session, api, email
        self.http = requests.Session()
        self._csrf = None
        if session:
            self.http.cookies.set("otwarty_session", session, path="/")
        else:
            # The anonymous CSRF token is the cookie's value, echoed in the form.
            self._csrf = secrets.token_hex(32)
            self.http.cookies.set("otwarty_csrf", self._csrf, path="/")

    @property
    def name(self):
        return self.role or "anonymous"

    def csrf(self):
        if self._csrf is None:
            page = self.request("GET", f"/{LANGUAGE}/dashboard")
            match = re.search(r'name="_csrf" value="([0-9a-f]{64})"', page.text)
            if not match:
                raise RuntimeError(f"{self.name}: no CSRF token on the dashboard ({page.status_code})")
            self._csrf = match.group(1)
        return self._csrf

    def request(self, method, path, params=None, data=None, json_body=None, headers=None, files=None,
                bearer=None, timeout=TIMEOUT):
        """One request, redirects not followed. API paths get the bearer token when bearer is not False."""
        headers = dict(headers or {})
        if path.startswith("/api/") and bearer is not False and self.api_token:
            headers["Authorization"] = "Bearer " + self.api_token
        url = path if path.startswith("http") else self.base + path
        return self.http.request(method, url, params=params, data=data, json=json_body, headers=headers, files=files,
                                 allow_redirects=False, timeout=timeout)


def identities(base):
    raw = load_json("identities.json")
    result = {"anonymous": Identity(base)}
    for role in ROLES:
        if role in raw:
            result[role] = Identity(base, role, raw[role].get("session"), raw[role].get("api"), raw[role].get("email"))
    return result


def healthy(base):
    try:
        return requests.get(base + "/healthz", timeout=10).status_code == 200
    except requests.RequestException:
        return False


def pattern_regex(pattern):
    """`/:lang/activities/:id/edit` → a regex matching concrete paths."""
    parts = []
    for segment in pattern.strip("/").split("/"):
        parts.append("[^/]+" if segment.startswith(":") else re.escape(segment))
    return re.compile("^/" + "/".join(parts) + "$") if pattern != "/" else re.compile("^/$")


def load_routes():
    """The server's own route table (`otwarty routes --json`, saved by attack.sh)."""
    return load_json("routes.json")


def route_for(path, method, routes):
    """The route table entry a concrete path falls under (literal segments win over parameters)."""
    best, best_score = None, -1
    for route in routes:
        if route["method"] != method:
            continue
        if pattern_regex(route["pattern"]).match(path):
            score = sum(1 for s in route["pattern"].split("/") if s and not s.startswith(":"))
            if score > best_score:
                best, best_score = route, score
    return best


DEFAULTS = {"lang": LANGUAGE, "slug": SLUG, "year": "2025", "format": "html", "token": "0" * 64, "code": "1.1",
            "number": "1", "id": "1"}


def fill(pattern, known_urls):
    """A concrete path for a pattern: a link or form seen while crawling, else defaults by parameter name."""
    regex = pattern_regex(pattern)
    for url in known_urls:
        if regex.match(url):
            return url
    segments = []
    for segment in pattern.split("/"):
        if segment.startswith(":"):
            segments.append(DEFAULTS.get(segment[1:], "1"))
        else:
            segments.append(segment)
    return "/".join(segments) or "/"


class PageReader(html.parser.HTMLParser):
    """Links (href/src), and forms with their fields, from one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms = [], []
        self._form, self._select, self._textarea = None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("a", "link") and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").upper(),
                          "enctype": a.get("enctype") or "", "fields": []}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "button") and a.get("name"):
            kind = (a.get("type") or ("submit" if tag == "button" else "text")).lower()
            self._form["fields"].append({"name": a["name"], "type": kind, "value": a.get("value") or "",
                                         "checked": "checked" in a, "required": "required" in a,
                                         "min": a.get("min"), "max": a.get("max"), "maxlength": a.get("maxlength")})
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "type": "select", "value": "", "options": [], "required": "required" in a}
            self._form["fields"].append(self._select)
        elif self._select is not None and tag == "option":
            self._select["options"].append(a.get("value", ""))
            if "selected" in a or not self._select["value"]:
                self._select["value"] = a.get("value", "")
        elif self._form is not None and tag == "textarea" and a.get("name"):
            self._textarea = {"name": a["name"], "type": "textarea", "value": "", "required": "required" in a}
            self._form["fields"].append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def read_page(text):
    reader = PageReader()
    try:
        reader.feed(text)
    except Exception:  # a broken page is still crawled for what was read
        pass
    return reader


def same_site_path(href, current):
    """A same-site absolute path (with query) for a link, or None."""
    if not href or href.startswith(("mailto:", "tel:", "#", "javascript:", "data:")):
        return None
    parsed = urllib.parse.urlsplit(urllib.parse.urljoin("http://x" + current, href))
    if parsed.netloc != "x":
        return None
    return parsed.path + ("?" + parsed.query if parsed.query else "")


class Results:
    """Counts checks and failures; prints failures as they happen and a summary at the end."""

    def __init__(self, part):
        self.part, self.checks, self.failures, self.started = part, 0, [], time.time()

    def check(self, ok, message):
        self.checks += 1
        if not ok:
            self.failures.append(message)
            print(f"FAIL {self.part}: {message}", flush=True)
        return ok

    def finish(self):
        elapsed = time.time() - self.started
        print(f"{self.part}: {self.checks} checks, {len(self.failures)} failures in {elapsed:.0f}s", flush=True)
        save_json(f"result-{self.part}.json", {"checks": self.checks, "failures": self.failures, "seconds": elapsed})
        return 1 if self.failures else 0


def deadline(seconds):
    end = time.time() + seconds
    return lambda: time.time() > end


def main_guard(fn):
    try:
        sys.exit(fn())
    except KeyboardInterrupt:
        sys.exit(130)
