#!/usr/bin/env python3
"""Every table's row count and a checksum of its rows, one line per table, sorted by name:

    python3 .ci/table-checksums.py sqlite:///path/to/otwarty.sqlite
    python3 .ci/table-checksums.py 'postgres://user:password@host:5432/db?sslmode=disable'

Two databases hold the same rows exactly when the outputs are equal (the restore drill,
.ci/restore.sh, compares an original with its restored copy). The checksum does not depend on
the order rows are stored in: each row is written as text, the texts sorted, then hashed.

SQLite: Python's sqlite3 module; every table, sqlite_sequence included (the next ids).
PostgreSQL: psql, the password passed in PGPASSWORD (never on the command line); every table of
every schema but the system's, each row as PostgreSQL's own text form of the row, and each
sequence's last value (the next ids) as one more line.
"""
import hashlib
import os
import subprocess
import sys
import urllib.parse


def sqlite_lines(path):
    import sqlite3
    db = sqlite3.connect("file:%s?mode=ro" % urllib.parse.quote(path), uri=True)
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    lines = []
    for name in names:
        rows = sorted(repr(r) for r in db.execute('SELECT * FROM "%s"' % name.replace('"', '""')))
        digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        lines.append("%s %d %s" % (name, len(rows), digest))
    return lines


def postgres_lines(url):
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    env = dict(os.environ)
    env.update({
        "PGHOST": urllib.parse.unquote(parts.hostname or "127.0.0.1"),
        "PGPORT": str(parts.port or 5432),
        "PGUSER": urllib.parse.unquote(parts.username or ""),
        "PGPASSWORD": urllib.parse.unquote(parts.password or ""),
        "PGDATABASE": urllib.parse.unquote(parts.path.lstrip("/")),
        "PGSSLMODE": query.get("sslmode", query.get("tlsmode", "prefer")),
    })

    def psql(sql):
        return subprocess.run(["psql", "--no-psqlrc", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                              env=env, check=True, capture_output=True, text=True).stdout.splitlines()

    system = "('pg_catalog', 'information_schema')"
    tables = psql("SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables "
                  "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN %s ORDER BY 1" % system)
    lines = []
    if tables:
        parts_sql = ["SELECT '%s' || ' ' || COUNT(*) || ' ' || md5(COALESCE(string_agg(r, E'\\n' ORDER BY r), '')) "
                     "FROM (SELECT t::text AS r FROM %s t) x" % (name.replace("'", "''"), name) for name in tables]
        lines += psql(" UNION ALL ".join(parts_sql))
    lines += ["sequence %s last %s" % tuple(line.split("|")) for line in
              psql("SELECT schemaname || '.' || sequencename, COALESCE(last_value, 0) FROM pg_sequences "
                   "WHERE schemaname NOT IN %s ORDER BY 1" % system)]
    return sorted(lines)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    url = sys.argv[1]
    if url.startswith("sqlite://"):
        lines = sqlite_lines(url[len("sqlite://"):])
    elif url.startswith(("postgres://", "postgresql://")):
        lines = postgres_lines(url)
    else:
        sys.exit("expected sqlite://PATH or postgres://…")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
