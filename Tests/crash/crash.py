#!/usr/bin/env python3
"""Crash cycles: writes acknowledged with 2xx survive `kill -9` (docs/reliability.md).

Each cycle starts `otwarty serve`, drives writes from several threads — activity records created
and submitted by a partner through the API with a token, approvals by the programme coordinator,
anonymous incident reports through the public API — and sends SIGKILL at a random moment while
they run. On PostgreSQL the postmaster and every backend are killed too, in random order with the
server. Then, with nothing running:

  * every write acknowledged with a 2xx is in the database: each record acknowledged as created,
    submitted or approved exists with at least that status (nobody returns records here, so a
    status can only move forward), with the audit entry of each acknowledged step; each incident
    report acknowledged with its case code is stored under that code;
  * SQLite: `PRAGMA integrity_check` says ok and `PRAGMA foreign_key_check` finds nothing;
    PostgreSQL: the cluster is restarted (crash recovery) and `pg_amcheck --heapallindexed`
    checks every table and index (the cluster has data checksums), or, without pg_amcheck,
    every table is read in full;
  * after the restart `/healthz` reports the audit chain `ok` (the server walks the hash chain at
    start).

  * every change stored has its audit entry, acknowledged or not: a record that exists has its
    `activity.created` entry, a submitted one its `activity.submitted`, and so on. Until the
    change and its entry were committed in one transaction (`AuditLog.atomically`), a kill between
    the two left changes without entries; this run found them (docs/reliability.md).

PostgreSQL runs on a cluster of its own (initdb into the work folder, a free port, data
checksums), never on a shared server: the script kills its postmaster. Needs the PostgreSQL
server binaries (Debian: postgresql, as .ci/postgres.sh installs) and, as root, the `postgres`
user to run them; `psql` on PATH or beside them.

Usage:
  python3 Tests/crash/crash.py [--binary .build/debug/otwarty] [--sqlite-cycles N] [--postgres-cycles N]
                               [--cycles N] [--seed S] [--keep] [--json FILE]
--cycles N splits N between the two databases as --split says (default 0.5).
Prints one line per cycle and the figures at the end; exits 1 when a write is lost or a check fails.
"""
import argparse
import glob
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

RANK = {"draft": 0, "submitted": 1, "approved": 2}
ACTION = {"draft": "activity.created", "submitted": "activity.submitted", "approved": "activity.approved"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(message):
    print(message, flush=True)


class Ledger:
    """What the server acknowledged: activity id → highest acknowledged status, incident codes."""

    def __init__(self):
        self.lock = threading.Lock()
        self.activities = {}
        self.incidents = set()
        self.counts = {"created": 0, "submitted": 0, "approved": 0, "incidents": 0}
        self.refused = {}  # status → count, for answers that were neither 2xx nor a dropped connection
        self.submitted_queue = []

    def ack_activity(self, record_id, status):
        with self.lock:
            if RANK[status] >= RANK.get(self.activities.get(record_id, "draft"), 0):
                self.activities[record_id] = status
            self.counts[{"draft": "created", "submitted": "submitted", "approved": "approved"}[status]] += 1
            if status == "submitted":
                self.submitted_queue.append(record_id)

    def take_submitted(self):
        with self.lock:
            if not self.submitted_queue:
                return None
            return self.submitted_queue.pop(random.randrange(len(self.submitted_queue)))

    def ack_incident(self, code):
        with self.lock:
            self.incidents.add(code)
            self.counts["incidents"] += 1

    def refuse(self, status):
        with self.lock:
            self.refused[status] = self.refused.get(status, 0) + 1

    def total(self):
        with self.lock:
            return sum(self.counts.values())


class Client:
    """One keep-alive HTTP connection; any failure to get a whole answer raises."""

    def __init__(self, port, token=None):
        self.port, self.token, self.connection = port, token, None

    def request(self, method, path, body=None):
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            payload = response.read()
            return response.status, payload
        except Exception:
            self.close()
            raise

    def close(self):
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:
                pass
            self.connection = None


class Rig:
    """The world of one database: the server's environment, the users, the checks."""

    def __init__(self, kind, args, work):
        self.kind, self.args, self.work = kind, args, work
        self.server = None
        self.server_log = open(os.path.join(work, "server.log"), "ab")
        self.ledger = Ledger()
        self.port = None
        self.pg = None

    # -- the server ---------------------------------------------------------------------------

    def env(self):
        """The server's and the CLI's environment. They run in the work folder, so the key files
        are made there (beside the SQLite file, or ./data/ with PostgreSQL) on first start."""
        env = dict(os.environ)
        env.update({
            "DATABASE_URL": self.database_url(),
            "OTWARTY_PDF_RENDERER": "none",
            # Restarted every cycle, the server would otherwise refuse the reports beyond the
            # anonymous limit per window once the counts are kept in the database.
            "OTWARTY_ANONYMOUS_LIMIT_FACTOR": "1000",
            # The reporter's key is derived from the passphrase at every report: the cheapest cost
            # the configuration allows keeps the reports many (the cost changes no write path).
            "OTWARTY_INCIDENT_SCRYPT_LOG_N": "10",
            "LOG_LEVEL": "warning",
        })
        return env

    def database_url(self):
        if self.kind == "sqlite":
            return "sqlite://" + os.path.join(self.work, "otwarty.sqlite")
        return self.pg.url

    def cli(self, *arguments, stdin=None):
        result = subprocess.run([self.args.binary, *arguments], env=self.env(), input=stdin, cwd=self.work, capture_output=True,
                                text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"otwarty {' '.join(arguments)} failed ({result.returncode}): {result.stderr.strip()}")
        return result.stdout

    def start_server(self):
        self.port = free_port()
        env = self.env()
        env["OTWARTY_PORT"] = str(self.port)
        self.server = subprocess.Popen([self.args.binary, "serve"], env=env, stdout=self.server_log,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=self.work)
        started = time.monotonic()
        client = Client(self.port)
        while time.monotonic() - started < 90:
            if self.server.poll() is not None:
                raise RuntimeError(f"the server exited with {self.server.returncode} at start (see {self.work}/server.log)")
            try:
                status, body = client.request("GET", "/healthz")
                if status == 200:
                    health = json.loads(body)
                    if health.get("audit_chain") != "unchecked":
                        client.close()
                        return health
            except Exception:
                pass
            time.sleep(0.05)
        raise RuntimeError("the server did not answer /healthz within 90 s")

    def kill_server(self):
        if self.server and self.server.poll() is None:
            os.kill(self.server.pid, signal.SIGKILL)
        if self.server:
            self.server.wait()
        self.server = None

    # -- setup ----------------------------------------------------------------------------------

    def setup(self):
        if self.kind == "postgres":
            self.pg = Cluster(self.work, self.args)
            self.pg.create()
        self.start_server()  # migrates and loads Kraków's programme into the empty database
        self.cli("user", "create", "--role", "partner", "--email", "partner@crash.test", "--name", "Crash partner",
                 "--organisation", "Crash NGO", "--organisation-kind", "ngo")
        self.cli("user", "create", "--role", "programme-coordinator", "--email", "coordinator@crash.test",
                 "--name", "Crash coordinator")
        self.partner_token = self.cli("token", "create", "--email", "partner@crash.test").strip().split()[-1]
        self.coordinator_token = self.cli("token", "create", "--email", "coordinator@crash.test").strip().split()[-1]
        rows = self.query("SELECT organisation_id FROM users WHERE email = 'partner@crash.test'")
        self.organisation = int(rows[0][0])
        status, body = Client(self.port).request("GET", "/api/v1/programme")
        assert status == 200, f"GET /api/v1/programme answered {status}"
        programme = json.loads(body)
        self.tasks = [task["code"] for goal in programme["goals"] for task in goal["tasks"]]
        # One record proves the payload is accepted before any crash is counted.
        status, body = Client(self.port, self.partner_token).request("POST", "/api/v1/activities", self.activity(0))
        if status != 201:
            raise RuntimeError(f"creating a record answered {status}: {body[:300]!r}")
        self.ledger.ack_activity(json.loads(body)["id"], "draft")
        self.kill_server()

    def activity(self, n):
        year = random.choice([2024, 2025, 2026])
        return {
            "task": random.choice(self.tasks), "kind": random.choice(["event", "workshop", "meeting", "training"]),
            "title": f"Crash cycle record {n} — spotkanie / зустріч", "startDate": f"{year}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}",
            "organisationId": self.organisation, "district": random.randint(1, 18),
            "participants": random.randint(1, 200), "notes": "x" * random.randint(0, 400),
        }

    # -- load -----------------------------------------------------------------------------------

    def drive(self, stop):
        """Threads that write until `stop` is set; returns them started."""
        ledger = self.ledger

        def partner(seed):
            rnd = random.Random(seed)
            client = Client(self.port, self.partner_token)
            n = 0
            while not stop.is_set():
                n += 1
                try:
                    status, body = client.request("POST", "/api/v1/activities", self.activity(n))
                    if status != 201:
                        ledger.refuse(status)
                        continue
                    record_id = json.loads(body)["id"]
                    ledger.ack_activity(record_id, "draft")
                    if rnd.random() < 0.75:
                        status, body = client.request("PATCH", f"/api/v1/activities/{record_id}", {"status": "submitted"})
                        if status == 200:
                            ledger.ack_activity(record_id, "submitted")
                        else:
                            ledger.refuse(status)
                except Exception:
                    time.sleep(0.01)

        def coordinator():
            client = Client(self.port, self.coordinator_token)
            while not stop.is_set():
                record_id = ledger.take_submitted()
                if record_id is None:
                    time.sleep(0.01)
                    continue
                try:
                    status, _ = client.request("PATCH", f"/api/v1/activities/{record_id}", {"status": "approved"})
                    if status == 200:
                        ledger.ack_activity(record_id, "approved")
                    else:
                        ledger.refuse(status)
                except Exception:
                    time.sleep(0.01)

        def reporter():
            client = Client(self.port)
            while not stop.is_set():
                try:
                    status, body = client.request("POST", "/api/v1/incidents", {
                        "narrative": "Krzyki na przystanku / крики на зупинці", "category": "verbal-abuse",
                        "motivations": ["nationality"], "reporterRole": "witness", "district": random.randint(1, 18),
                        "policeInformed": "no", "language": "pl"})
                    if status == 201:
                        ledger.ack_incident(json.loads(body)["caseCode"])
                    else:
                        ledger.refuse(status)
                        if status == 429:  # the anonymous limit: the rest of this cycle without reports
                            return
                except Exception:
                    time.sleep(0.01)

        threads = [threading.Thread(target=partner, args=(random.random(),), daemon=True) for _ in range(self.args.partners)]
        threads.append(threading.Thread(target=coordinator, daemon=True))
        threads.append(threading.Thread(target=reporter, daemon=True))
        for thread in threads:
            thread.start()
        return threads

    # -- checks -----------------------------------------------------------------------------------

    def query(self, sql):
        if self.kind == "sqlite":
            connection = sqlite3.connect(os.path.join(self.work, "otwarty.sqlite"), timeout=30)
            try:
                return connection.execute(sql).fetchall()
            finally:
                connection.close()
        return self.pg.query(sql)

    def check_writes(self):
        """Problems with acknowledged writes (lost ones), and the count of unaudited changes."""
        problems = []
        stored = {int(i): s for i, s in self.query("SELECT id, status FROM activities")}
        audited = {(s, a) for s, a in self.query("SELECT subject, action FROM audit_log WHERE subject LIKE 'activity:%'")}
        codes = {c for (c,) in self.query("SELECT case_code FROM incidents")}
        # An incident's entry waits in audit_held until its day is over, then joins the chain.
        received = {s for (s,) in self.query("SELECT subject FROM audit_log WHERE action = 'incident.received'")}
        received |= {s for (s,) in self.query("SELECT subject FROM audit_held WHERE action = 'incident.received'")}
        with self.ledger.lock:
            acknowledged = dict(self.ledger.activities)
            incidents = set(self.ledger.incidents)
        for record_id, status in acknowledged.items():
            found = stored.get(record_id)
            if found is None:
                problems.append(f"activity {record_id} acknowledged as {status} is missing")
                continue
            if RANK.get(found, -1) < RANK[status]:
                problems.append(f"activity {record_id} acknowledged as {status} is {found}")
            for step, rank in RANK.items():
                if rank <= RANK[status] and (f"activity:{record_id}", ACTION[step]) not in audited:
                    problems.append(f"activity {record_id}: the acknowledged step {step} has no audit entry {ACTION[step]}")
        for code in incidents - codes:
            problems.append(f"incident {code} acknowledged is missing")
        for code in incidents & codes:
            if f"incident:{code}" not in received:
                problems.append(f"incident {code} acknowledged has no audit entry incident.received")
        unaudited = 0
        for record_id, status in stored.items():
            for step, rank in RANK.items():
                if rank <= RANK.get(status, -1) and (f"activity:{record_id}", ACTION[step]) not in audited:
                    unaudited += 1
        unaudited += sum(1 for code in codes if f"incident:{code}" not in received)
        return problems, unaudited

    def check_integrity(self):
        """Problems the engine's own checker finds; an empty list when it says ok."""
        if self.kind == "sqlite":
            rows = self.query("PRAGMA integrity_check")
            problems = [] if rows == [("ok",)] else [f"integrity_check: {r[0]}" for r in rows[:10]]
            problems += [f"foreign_key_check: {r}" for r in self.query("PRAGMA foreign_key_check")[:10]]
            return problems
        return self.pg.check()


class Cluster:
    """A PostgreSQL cluster of the script's own, which it may kill."""

    def __init__(self, work, args):
        versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(p.split("/")[4]))
        if args.pg_bin:
            self.bin = args.pg_bin
        elif versions:
            self.bin = os.path.dirname(versions[-1])
        else:
            raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)")
        self.data = os.path.join(work, "pgdata")
        self.log = os.path.join(work, "postgres.log")
        self.port = free_port()
        self.url = f"postgres://crash:crash-test-only@127.0.0.1:{self.port}/crash?sslmode=disable"
        self.psql = os.path.join(self.bin, "psql") if os.path.exists(os.path.join(self.bin, "psql")) else shutil.which("psql")
        amcheck = os.path.join(self.bin, "pg_amcheck")
        self.amcheck = amcheck if os.path.exists(amcheck) else shutil.which("pg_amcheck")
        self.work = work
        self.postmaster = None

    def as_owner(self, command):
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command]
        return command

    def create(self):
        os.makedirs(self.data, mode=0o700)
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
            shutil.chown(self.work, "postgres", "postgres")  # for the log file
        subprocess.run(self.as_owner([os.path.join(self.bin, "initdb"), "-D", self.data, "-U", "postgres", "--auth=trust",
                                      "--data-checksums", "-E", "UTF8", "--locale=C.UTF-8"]),
                       check=True, capture_output=True, cwd="/")
        with open(os.path.join(self.data, "postgresql.conf"), "a") as conf:
            # Loopback only, a port of its own, its socket in its own folder. fsync and
            # synchronous_commit keep their defaults (on): the figures are for the settings a city runs.
            conf.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.data}'\n"
                       "max_connections = 50\nshared_buffers = 32MB\n"
                       # Before replaying the WAL, recovery syncs the data folder: one syncfs call
                       # instead of an fsync per file (seconds on a busy disk). Commits are unchanged.
                       "recovery_init_sync_method = syncfs\n")
        self.start()
        self.query("CREATE ROLE crash LOGIN PASSWORD 'crash-test-only'")
        self.query("CREATE DATABASE crash OWNER crash")

    def start(self):
        """Starts the postmaster as a child of this script (so a kill is reaped at once: a zombie
        postmaster would keep its successor from starting) and waits until it accepts connections;
        after a kill this is where crash recovery replays the WAL."""
        owner = {"user": "postgres", "group": "postgres", "extra_groups": []} if os.geteuid() == 0 else {}
        with open(self.log, "ab") as log_file:
            self.postmaster = subprocess.Popen([os.path.join(self.bin, "postgres"), "-D", self.data], stdin=subprocess.DEVNULL,
                                               stdout=log_file, stderr=subprocess.STDOUT, cwd="/", **owner)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.postmaster.poll() is not None:
                raise RuntimeError(f"postgres exited with {self.postmaster.returncode} at start (see {self.log})")
            ready = subprocess.run([os.path.join(self.bin, "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"])
            if ready.returncode == 0:
                return
            time.sleep(0.05)
        raise RuntimeError(f"postgres did not accept connections within 120 s (see {self.log})")

    def stop(self):
        if self.postmaster and self.postmaster.poll() is None:
            self.postmaster.send_signal(signal.SIGQUIT)  # immediate shutdown
            try:
                self.postmaster.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def processes(self):
        """The postmaster and its children (every backend and auxiliary process)."""
        try:
            with open(os.path.join(self.data, "postmaster.pid")) as f:
                postmaster = int(f.readline())
        except (OSError, ValueError):
            return []
        pids = [postmaster]
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                with open(stat) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == postmaster:
                    pids.append(int(stat.split("/")[2]))
            except (OSError, IndexError, ValueError):
                pass
        return pids

    def kill(self):
        pids = self.processes()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        # Until they are reaped, not only dead: a new postmaster refuses to start while the pid in
        # postmaster.pid still answers kill(pid, 0), which a zombie does.
        if self.postmaster:
            self.postmaster.wait()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(os.path.exists(f"/proc/{pid}") and not self.zombie(pid) for pid in pids):
            time.sleep(0.01)
        return len(pids)

    @staticmethod
    def zombie(pid):
        """A child of the postmaster left for init to reap: dead, and never the lock file's pid."""
        try:
            with open(f"/proc/{pid}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0] == "Z"
        except OSError:
            return True

    def query(self, sql, database=None):
        database = database or ("crash" if "CREATE" not in sql.split(" ", 1)[0] else "postgres")
        result = subprocess.run([self.psql, "--no-psqlrc", "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                                 "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database, "-c", sql],
                                capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            raise RuntimeError(f"psql: {result.stderr.strip()}")
        return [tuple(line.split("\t")) for line in result.stdout.splitlines() if line != ""]

    def check(self):
        if self.amcheck:
            result = subprocess.run([self.amcheck, "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "crash",
                                     "--install-missing", "--heapallindexed"],
                                    capture_output=True, text=True, timeout=300)
            if result.returncode != 0 or result.stdout.strip():
                return [f"pg_amcheck ({result.returncode}): {(result.stdout + result.stderr).strip()[:2000]}"]
            return []
        # Without pg_amcheck: read every row of every table (a checksum failure or a broken page
        # is an error), and count them through each index as well as by a sequential scan.
        problems = []
        tables = [t for (t,) in self.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        for table in tables:
            try:
                self.query(f'SELECT md5(string_agg(t::text, \'\')) FROM "{table}" t')
            except RuntimeError as error:
                problems.append(f"reading {table}: {error}")
        return problems

    @property
    def checker(self):
        return "pg_amcheck --heapallindexed (data checksums on)" if self.amcheck else "a full read of every table"


def run(kind, cycles, args, summary):
    work = tempfile.mkdtemp(prefix=f"otwarty-crash-{kind}-")
    os.chmod(work, 0o755)
    rig = Rig(kind, args, work)
    started = time.monotonic()
    failures = []
    figures = {"database": kind, "cycles": 0, "lost": 0, "integrity_ok": 0, "unaudited_changes": 0,
               "cycle_seconds": [], "kill_after_seconds": [], "writes_at_kill": []}
    try:
        rig.setup()
        if kind == "postgres":
            figures["integrity_checker"] = rig.pg.checker
        else:
            figures["integrity_checker"] = "PRAGMA integrity_check + foreign_key_check"
        for cycle in range(1, cycles + 1):
            t0 = time.monotonic()
            health = rig.start_server()
            t_started = time.monotonic()
            problems = []
            if health.get("audit_chain") != "ok" or health.get("status") != "ok":
                problems.append(f"/healthz after restart: {health}")
            stop = threading.Event()
            before = rig.ledger.total()
            threads = rig.drive(stop)
            # A random moment: most cycles die while writes are in flight; a few die at once.
            delay = random.uniform(0.0, args.max_delay)
            time.sleep(delay)
            # On PostgreSQL the server and the postmaster go together, in random order.
            victims = [rig.kill_server] + ([rig.pg.kill] if kind == "postgres" else [])
            random.shuffle(victims)
            for victim in victims:
                victim()
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
            written = rig.ledger.total() - before
            t_killed = time.monotonic()
            if kind == "postgres":
                rig.pg.start()  # crash recovery replays the WAL here
            t_recovered = time.monotonic()
            lost, unaudited = rig.check_writes()
            problems += lost
            if unaudited:
                problems.append(f"{unaudited} stored change(s) without their audit entry")
            integrity = rig.check_integrity()
            t_checked = time.monotonic()
            for phase, value in (("start", t_started - t0), ("recovery", t_recovered - t_killed), ("checks", t_checked - t_recovered)):
                figures.setdefault(f"{phase}_seconds", []).append(value)
            problems += integrity
            figures["cycles"] += 1
            figures["lost"] += len(lost)
            figures["integrity_ok"] += 0 if integrity else 1
            figures["unaudited_changes"] = unaudited
            seconds = time.monotonic() - t0
            figures["cycle_seconds"].append(seconds)
            figures["kill_after_seconds"].append(delay)
            figures["writes_at_kill"].append(written)
            log(f"{kind} cycle {cycle}/{cycles}: killed after {delay:.2f} s, {written} writes acknowledged this cycle, "
                f"{sum(rig.ledger.counts.values())} in all, {'ok' if not problems else 'FAILED'} ({seconds:.1f} s: start "
                f"{t_started - t0:.1f}, recovery {t_recovered - t_killed:.1f}, checks {t_checked - t_recovered:.1f})")
            if problems:
                failures += [f"{kind} cycle {cycle}: {p}" for p in problems]
                for p in problems[:20]:
                    log(f"  {p}")
                break
    finally:
        rig.kill_server()
        if rig.pg:
            rig.pg.stop()
        rig.server_log.close()
    figures["seconds"] = round(time.monotonic() - started, 1)
    figures["acknowledged"] = dict(rig.ledger.counts)
    figures["refused"] = {str(k): v for k, v in sorted(rig.ledger.refused.items())}
    figures["records_stored"] = len(rig.ledger.activities)
    summary.append(figures)
    if failures or args.keep:
        log(f"{kind}: work folder kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/debug/otwarty")
    parser.add_argument("--cycles", type=int, help="cycles in all, split between the databases by --split")
    parser.add_argument("--split", type=float, default=0.5, help="the share of --cycles run on SQLite")
    parser.add_argument("--sqlite-cycles", type=int)
    parser.add_argument("--postgres-cycles", type=int)
    parser.add_argument("--partners", type=int, default=2, help="threads creating and submitting records")
    parser.add_argument("--max-delay", type=float, default=1.0, help="the kill comes 0 … this many seconds into the writes")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--pg-bin", help="folder of the PostgreSQL server binaries (default: the newest /usr/lib/postgresql/*/bin)")
    parser.add_argument("--keep", action="store_true", help="keep the work folders")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    # `timeout` (.ci/crash.sh) sends SIGTERM: exit through the `finally` blocks, which kill the
    # server and stop the cluster, instead of leaving them running.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(124))
    args.binary = os.path.abspath(args.binary)
    if not os.access(args.binary, os.X_OK):
        parser.error(f"--binary {args.binary} is not an executable (swift build first)")
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    random.seed(seed)
    if args.cycles is not None:
        sqlite_cycles = round(args.cycles * args.split)
        postgres_cycles = args.cycles - sqlite_cycles
    else:
        sqlite_cycles = args.sqlite_cycles if args.sqlite_cycles is not None else 10
        postgres_cycles = args.postgres_cycles if args.postgres_cycles is not None else 10
    log(f"crash cycles: {sqlite_cycles} on SQLite, {postgres_cycles} on PostgreSQL, seed {seed} (--seed to repeat the kill times)")
    summary, failures = [], []
    started = time.monotonic()
    if sqlite_cycles:
        failures += run("sqlite", sqlite_cycles, args, summary)
    if postgres_cycles:
        failures += run("postgres", postgres_cycles, args, summary)
    log("")
    log("database    cycles  acknowledged (created/submitted/approved/incidents)  lost  integrity ok  unaudited*  median cycle  time")
    for f in summary:
        a = f["acknowledged"]
        total = sum(a.values())
        median = statistics.median(f["cycle_seconds"]) if f["cycle_seconds"] else 0
        log(f"{f['database']:<10}  {f['cycles']:>6}  {total:>7} ({a['created']}/{a['submitted']}/{a['approved']}/{a['incidents']})"
            f"{'':>22}{f['lost']:>4}  {f['integrity_ok']:>5}/{f['cycles']:<6}  {f['unaudited_changes']:>10}  {median:>10.2f} s  {f['seconds']:>5.0f} s")
        log(f"            integrity: {f['integrity_checker']}; answers other than 2xx: {f['refused'] or 'none'}")
    log("* changes stored without their audit entry (a kill between a change and its entry, were they two transactions)")
    log(f"all: {time.monotonic() - started:.0f} s, seed {seed}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"seed": seed, "databases": summary}, f, indent=1)
    if failures:
        log(f"FAILED: {len(failures)} problem(s)")
        return 1
    log("every acknowledged write present, every integrity check ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
