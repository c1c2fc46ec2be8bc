#!/usr/bin/env python3
"""Prints the current TOTP code (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps) for a key in
base32 as Otwarty's enrolment page shows it (spaces allowed). Standard library only.

Usage: totp.py KEY [--offset STEPS]     (--offset 1 gives the next step's code)
Also importable: totp(key, offset=0, at=None).
"""
import argparse
import base64
import hashlib
import hmac
import struct
import sys
import time


def totp(key, offset=0, at=None):
    compact = key.replace(" ", "").upper()
    secret = base64.b32decode(compact + "=" * (-len(compact) % 8))
    counter = int((time.time() if at is None else at) // 30) + offset
    digest = hmac.new(secret, struct.pack(">Q", counter), hashlib.sha1).digest()
    start = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[start:start + 4])[0] & 0x7FFFFFFF
    return "%06d" % (value % 1_000_000)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("key")
    parser.add_argument("--offset", type=int, default=0)
    args = parser.parse_args()
    # RFC 6238 appendix B (SHA-1): a wrong implementation stops here rather than failing later.
    assert totp(base64.b32encode(b"12345678901234567890").decode(), at=59) == "287082"
    print(totp(args.key, args.offset))
    return 0


if __name__ == "__main__":
    sys.exit(main())
