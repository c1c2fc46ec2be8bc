#!/usr/bin/env python3
"""Part 3 of the attack suite: schemathesis against the API document (openapi.yaml, the source
of truth) with every check, bounded examples and a time budget, authenticated with an API token
(the administrator's, who reaches every documented operation). Per-operation settings, each
with its reason: Tests/attack/schemathesis.toml.
Usage: schema.py BASE_URL OPENAPI_YAML [--max-examples N] [--max-time SECONDS]
"""
import argparse
import os
import subprocess
import sys

from common import load_json, main_guard, save_json


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("document")
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--max-time", type=int, default=90)
    args = parser.parse_args()
    token = load_json("identities.json")["administrator"]["api"]
    config = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemathesis.toml")
    command = ["schemathesis", "--config-file", config, "run", args.document, "--url", args.base,
               "--header", f"Authorization: Bearer {token}",
               "--checks", "all", "--max-examples", str(args.max_examples), "--max-time", str(args.max_time),
               "--workers", "2", "--seed", "10", "--no-color", "--generation-database", "none",
               "--request-timeout", "30", "--output-truncate", "true"]
    print("schema: " + " ".join(c if not c.startswith("Authorization") else "Authorization: Bearer …" for c in command),
          flush=True)
    rc = subprocess.call(command)
    save_json("result-schema.json", {"exit": rc})
    print(f"schema: schemathesis exit {rc}", flush=True)
    return rc


if __name__ == "__main__":
    main_guard(main)
