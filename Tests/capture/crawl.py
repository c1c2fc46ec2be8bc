#!/usr/bin/env python3
"""The crawl behind .ci/capture.sh: a before/after capture proving that a restructuring changed no
behaviour. For each identity (anonymous, then every signed-in role) it fetches the start pages and
API URLs, follows same-origin href links found in HTML (and same-origin URLs found in JSON, e.g. the
open-data catalogue's files) breadth first, each level sorted, GET only, and stores every answer as

    HTTP <status>
    Content-Type / Cache-Control / Location / Content-Disposition (those present)
    <blank line>
    <body, normalised>

in OUTDIR/<identity>/<url path>.txt (the query string is part of the file name), plus
OUTDIR/index.tsv (identity, url, status, sha256 of the stored file). Binary bodies are stored as
their sha256 and size; ZIP-based ones (ODT, XLSX, zip) as the list of their parts with each part's
sha256 and size, and the text of their XML parts, since the archive itself carries timestamps.

Only values that are random per run or tied to the moment of the request are normalised (NORMALISE
below, and the server's own address with its per-run port); everything else is kept byte for byte.

Python 3 standard library only.
Usage: crawl.py BASE_URL OUTDIR --identities FILE.json [--max-urls N] [--only NAME…]
FILE.json: {"anonymous": {}, "administrator": {"session": "…", "token": "otw_…"}, …} in crawl order.
"""
import argparse
import hashlib
import html.parser
import http.client
import io
import json
import os
import re
import sys
import time
import urllib.parse
import zipfile

SLUG = "otwarty-krakow-2024-2028"
START_PAGES = ["/pl/", "/en/", "/uk/", "/ru/"]
START_API = [
    "/api/v1/programmes", "/api/v1/programme", f"/api/v1/programme?slug={SLUG}", "/api/v1/programme?slug=nope",
    "/api/v1/indicators", "/api/v1/indicators?year=2024", "/api/v1/indicators?year=2025",
    "/api/v1/indicators?year=2026", "/api/v1/indicators?year=2023", f"/api/v1/indicators?year=2025&programme={SLUG}",
    "/api/v1/activities", "/api/v1/activities?limit=50&offset=0", "/api/v1/activities?limit=50&offset=50",
    "/api/v1/activities?limit=50&offset=100", "/api/v1/activities?limit=20&status=approved&year=2025",
    "/api/v1/activities?limit=20&status=submitted", "/api/v1/activities?limit=20&task=1.1",
    "/api/v1/activities/1", "/api/v1/activities/2", "/api/v1/activities/3", "/api/v1/activities/999999",
    "/api/v1/openapi.json", "/api/v1/statistics/incidents", "/api/v1/statistics/incidents?year=2025",
    "/api/v1/open-data", "/open-data/programme-tasks.csv", "/open-data/iati-results.xml",
    "/open-data/2025/indicators.csv", "/open-data/2025/indicators.json", "/open-data/2025/events.csv",
    "/open-data/2025/events.json", "/healthz", "/static/otwarty.css",
]
# Never fetched: signing out, PDFs (they start a browser on the server), and anything named like an
# action. GET should never change state, but the capture must not depend on that.
SKIP = re.compile(r"(/logout$|\.pdf$|/pdf$|/(delete|disable|enable|revoke|approve|reject|purge|freeze)$)")
# Activity ids taken from the first API list answer, fetched one by one.
IDS_FROM_LIST = 5
HEADERS = ["Content-Type", "Cache-Control", "Location", "Content-Disposition"]
TEXTUAL = re.compile(r"^(text/|application/([a-z.+-]*\+)?(json|xml|javascript|x-ndjson|csv|yaml)|image/svg\+xml)")

# Values random per run or tied to the moment of the request, by regex, each with what replaces it.
# Kept narrow on purpose: a difference anywhere else is a difference in behaviour.
NORMALISE = [
    # CSRF tokens in forms (per session / per anonymous cookie)
    (re.compile(r'(name="_csrf" value=")[0-9a-f]{64}(")'), r"\1{CSRF}\2"),
    # the one-time submission id of public forms (a random UUID per page view)
    (re.compile(r'(name="submission" value=")[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(")'),
     r"\1{SUBMISSION}\2"),
    # a two-factor key offered for enrolment (a new one per page view), as text and in an otpauth address
    (re.compile(r'(otp-key">)[A-Z2-7 ]{16,}(<)'), r"\1{OTP-KEY}\2"),
    (re.compile(r"(otpauth://totp/[^\s\"'<>]*[?&]secret=)[A-Z2-7]{16,}"), r"\1{OTP-KEY}"),
]


def today_patterns():
    """Times of day on the capture's date: when the demo data, the users and tokens were made, or when
    a file was generated. The date stays; only the clock time of today is replaced."""
    days = {time.strftime("%Y-%m-%d", time.gmtime()), time.strftime("%Y-%m-%d", time.localtime())}
    try:  # the server shows times in Kraków's zone
        import datetime
        import zoneinfo
        days.add(datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Warsaw")).strftime("%Y-%m-%d"))
    except Exception:  # noqa: BLE001 - no time zone data: UTC and local time cover all but an hour a day
        pass
    patterns = []
    for day in sorted(days):
        y, m, d = day.split("-")
        # ISO 8601 (JSON, XML): 2026-12-03T16:05:13Z, with fractions or an offset
        patterns.append((re.compile(rf"\b({day}[T ])\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?\b"),
                         r"\1{TIME}"))
        # numeric dates: 03.12.2026 17:05
        patterns.append((re.compile(rf"\b({d}\.{m}\.{y},? )\d\d:\d\d(:\d\d)?\b"), r"\1{TIME}"))
        # pages: „3 Dec 2026 at 17:05”, „3 gru 2026 o 17:05”, „3 дек. 2026 г., 17:05”, in every language
        patterns.append((re.compile(rf"\b({int(d)}\.? [^\s<>\d]+ {y}(\s?[гр]\.)?,? ([^\s<>\d]{{1,4}} )?)"
                                    rf"\d\d:\d\d(:\d\d)?\b"), r"\1{TIME}"))
    return patterns


NORMALISE += today_patterns()


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "href" and value:
                self.hrefs.append(value)


class Client:
    """One identity: cookies (the session for pages) and a bearer token for /api/."""

    def __init__(self, base, session=None, token=None):
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname, parsed.port
        self.token = token
        self.cookies = {}
        if session:
            self.cookies["otwarty_session"] = session
        self.connection = None

    def _connect(self):
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def get(self, path):
        headers = {"Accept-Encoding": "identity", "User-Agent": "otwarty-capture"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in sorted(self.cookies.items()))
        if path.startswith("/api/") and self.token:
            headers["Authorization"] = "Bearer " + self.token
        for attempt in (1, 2):
            if self.connection is None:
                self._connect()
            try:
                self.connection.request("GET", path, headers=headers)
                response = self.connection.getresponse()
                body = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        for value in response.headers.get_all("Set-Cookie") or []:
            self._remember(value)
        return response.status, response.headers, body

    def _remember(self, set_cookie):
        first, *attributes = set_cookie.split(";")
        name, _, value = first.strip().partition("=")
        expired = any(re.match(r"\s*max-age\s*=\s*0\s*$", a, re.I) for a in attributes)
        if expired or value == "":
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value


def file_name(url):
    """OUTDIR-relative file for a URL: the path's segments as folders, the query in the file name."""
    parsed = urllib.parse.urlsplit(url)
    segments = parsed.path.split("/")[1:] or [""]

    def clean(segment):
        segment = re.sub(r"[^A-Za-z0-9._,=+-]", lambda m: "%%%02X" % ord(m.group()) if ord(m.group()) < 256 else
                         "".join("%%%02X" % b for b in m.group().encode()), segment)
        return "%2E" + segment[1:] if segment.startswith(".") else segment

    folders = [clean(s) or "%2F" for s in segments[:-1]]
    last = clean(segments[-1]) or "_index"
    if parsed.query:
        last += "@" + clean(parsed.query)
    if len(last) > 180:
        last = last[:140] + "~" + hashlib.sha256(last.encode()).hexdigest()[:16]
    return os.path.join(*folders, last + ".txt") if folders else last + ".txt"


def normalise(text, base):
    text = text.replace(base, "{BASE}")
    for pattern, replacement in NORMALISE:
        text = pattern.sub(replacement, text)
    return text


def is_textual(content_type):
    return bool(TEXTUAL.match(content_type.split(";")[0].strip().lower()))


def describe_binary(body, base):
    lines = [f"binary: {len(body)} bytes, sha256 {hashlib.sha256(body).hexdigest()}"]
    if body[:4] == b"PK\x03\x04":
        # An archive's own bytes carry the time it was made: its parts are what is compared.
        lines = [f"zip archive: {len(body)} bytes"]
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                data = archive.read(info)
                lines.append(f"== {info.filename}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
                if info.filename.endswith((".xml", ".rdf")) or info.filename == "mimetype":
                    try:
                        lines.append(normalise(data.decode("utf-8"), base))
                    except UnicodeDecodeError:
                        pass
    return "\n".join(lines) + "\n"


def record(status, headers, body, base):
    out = [f"HTTP {status}"]
    for name in HEADERS:
        value = headers.get(name)
        if value is not None:
            out.append(f"{name}: {normalise(value, base)}")
    content_type = headers.get("Content-Type", "")
    text = None
    if is_textual(content_type) or not body:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = None
    stored = normalise(text, base) if text is not None else describe_binary(body, base)
    return ("\n".join(out) + "\n\n" + stored).encode("utf-8"), text


def same_origin_path(href, page, base):
    """The path (with query) of href when it stays on the server, else None."""
    href = href.strip()
    if href.startswith(("mailto:", "tel:", "javascript:", "data:", "#")):
        return None
    target = urllib.parse.urljoin(base + page, href)
    parsed = urllib.parse.urlsplit(target)
    origin = urllib.parse.urlsplit(base)
    if (parsed.scheme, parsed.netloc) != (origin.scheme, origin.netloc):
        return None
    path = parsed.path or "/"
    return path + ("?" + parsed.query if parsed.query else "")


def json_links(value, base):
    """Same-origin absolute URLs anywhere in a JSON document (the open-data catalogue's files)."""
    found = []
    if isinstance(value, dict):
        for item in value.values():
            found += json_links(item, base)
    elif isinstance(value, list):
        for item in value:
            found += json_links(item, base)
    elif isinstance(value, str) and value.startswith(base + "/"):
        found.append(value[len(base):])
    return found


def crawl(name, client, base, outdir, max_urls, index):
    started = time.monotonic()
    seen = set()
    level = sorted(set(START_PAGES + START_API))
    fetched = 0
    statuses = {}
    while level and fetched < max_urls:
        following = set()
        for path in level:
            if fetched >= max_urls:
                break
            if path in seen:
                continue
            seen.add(path)
            status, headers, body = client.get(path)
            fetched += 1
            statuses[status] = statuses.get(status, 0) + 1
            stored, text = record(status, headers, body, base)
            target = os.path.join(outdir, name, file_name(path))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(stored)
            index.write(f"{name}\t{path}\t{status}\t{hashlib.sha256(stored).hexdigest()}\n")
            found = []
            if 300 <= status < 400 and headers.get("Location"):
                found.append(same_origin_path(headers["Location"], path, base))
            content_type = headers.get("Content-Type", "").lower()
            if text is not None and "text/html" in content_type:
                parser = Links()
                parser.feed(text)
                found += [same_origin_path(h, path, base) for h in parser.hrefs]
            elif text is not None and "json" in content_type and status == 200:
                try:
                    document = json.loads(text)
                except ValueError:
                    document = None
                found += json_links(document, base)
                if urllib.parse.urlsplit(path).path == "/api/v1/activities" and path == "/api/v1/activities":
                    items = document.get("activities", document.get("items", [])) if isinstance(document, dict) \
                        else document if isinstance(document, list) else []
                    ids = [i.get("id") for i in items if isinstance(i, dict) and isinstance(i.get("id"), int)]
                    found += [f"/api/v1/activities/{i}" for i in ids[:IDS_FROM_LIST]]
            for target_path in found:
                if target_path and target_path not in seen and not SKIP.search(urllib.parse.urlsplit(target_path).path):
                    following.add(target_path)
        level = sorted(following - seen)
    summary = " ".join(f"{k}×{v}" for k, v in sorted(statuses.items()))
    print(f"capture {name}: {fetched} URLs in {time.monotonic() - started:.0f}s ({summary})"
          + (f", stopped at the cap of {max_urls}" if level and fetched >= max_urls else ""), flush=True)
    return fetched


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base")
    parser.add_argument("outdir")
    parser.add_argument("--identities", required=True)
    parser.add_argument("--max-urls", type=int, default=1500, help="URLs fetched per identity at most")
    parser.add_argument("--only", nargs="*", help="crawl only these identities")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    with open(args.identities) as f:
        identities = json.load(f)
    os.makedirs(args.outdir, exist_ok=True)
    with open(os.path.join(args.outdir, "index.tsv"), "w") as index:
        index.write("role\turl\tstatus\tsha256\n")
        for name, identity in identities.items():
            if args.only and name not in args.only:
                continue
            client = Client(base, identity.get("session"), identity.get("token"))
            crawl(name, client, base, args.outdir, args.max_urls, index)
    return 0


if __name__ == "__main__":
    sys.exit(main())
