#!/usr/bin/env python3
"""Completes two-factor enrolment for a session that the server sends to /account/two-factor
(administrator, programme coordinator, incident handler), computing the TOTP code (RFC 6238,
SHA-1, 6 digits, 30 s) from the key the page shows. Prints the session token to use (the same one
when it was already through, else the new one enrolment started). Usage: enrol.py BASE_URL SESSION_TOKEN
"""
import base64
import hashlib
import hmac
import re
import struct
import sys
import time

import requests


def totp(key_base32, at=None):
    key = base64.b32decode(key_base32.replace(" ", "").upper() + "=" * (-len(key_base32.replace(" ", "")) % 8))
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)


def main():
    base, session = sys.argv[1], sys.argv[2]
    http = requests.Session()
    http.cookies.set("otwarty_session", session, path="/")
    first = http.get(base + "/pl/dashboard", allow_redirects=False)
    if first.status_code == 200:
        print(session)
        return 0
    location = first.headers.get("Location", "")
    if "two-factor" not in location:
        print(f"enrol: the dashboard answers {first.status_code} → {location}", file=sys.stderr)
        return 1
    page = http.get(base + "/pl/account/two-factor", allow_redirects=False).text
    key = re.search(r'otp-key">([A-Z2-7 ]+)<', page)
    csrf = re.search(r'name="_csrf" value="([0-9a-f]{64})"', page)
    action = re.search(r'action="([^"]*two-factor/confirm)"', page)
    if not (key and csrf and action):
        print("enrol: the enrolment page has no key or form", file=sys.stderr)
        return 1
    answer = http.post(base + action.group(1), data={"_csrf": csrf.group(1), "code": totp(key.group(1))},
                       allow_redirects=False)
    # Confirming replaces the enrolment-only session with a new one.
    fresh = answer.cookies.get("otwarty_session") or session
    check = requests.get(base + "/pl/dashboard", cookies={"otwarty_session": fresh}, allow_redirects=False)
    if check.status_code != 200:
        print(f"enrol: confirming answered {answer.status_code}; the dashboard then {check.status_code}", file=sys.stderr)
        return 1
    print(fresh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
