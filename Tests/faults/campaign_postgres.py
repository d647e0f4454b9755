#!/usr/bin/env python3
"""The fault campaign on a PostgreSQL ledger shared by several daemons.

    .venv/bin/python Tests/faults/campaign_postgres.py [--seed N] [--kills N] [--customers N] [--daemons N] [--quick]

The same customers, ladder, servers and server faults as `campaign.py` (read its docstring), but
the ledger is one real PostgreSQL database (Debian's, started by `Tests/servers/postgres_server.py`
in the campaign's folder) and `--daemons` daemons (3) run on it at once, each with its own
`daemon_id` and state folder, as they would on their own hosts. Seeded moments:
  - SIGKILL of one daemon at a time (`--kills`, at least 30 in full size), restarted at once;
  - a PostgreSQL crash mid-tick (its server killed, restarted on the same port and data);
  - a database stall longer than the statement timeout (every server process SIGSTOPped, then
    SIGCONT), as a network that stops answering would be.
No daemon may exit by itself (a database error is transient: the daemon tries again next tick).
Then, faults off and daemons left running, it waits until nothing is pending and checks what
`campaign.verify` checks, against what the servers received: no duplicates, every due step sent
or recorded with a reason, the ledger's `sent` equal to what the servers accepted, and per kill
at most one e-mail per SMTP connection in doubt (the killed daemon's own sends, which it
recovers when it restarts under the same id).
Exit status 0 when every check holds, 1 on any violation, 2 when the campaign itself failed.
"""
import argparse
import base64
import collections
import glob
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import campaign as base  # noqa: E402 - the shared servers, faults and checks

ROOT, PYTHON = base.ROOT, base.PYTHON
STATEMENT_TIMEOUT = 2  # seconds; the stall lasts longer
LEASE = 60  # seconds (the least the config takes); a daemon killed and started again takes its own back at once


class Database:
    """The PostgreSQL server in `tmp/pg`, crashable and stallable, and queries through psql."""

    def __init__(self, procs, tmp):
        self.procs, self.dir = procs, os.path.join(tmp, "pg")
        os.makedirs(self.dir)
        self.port = 0
        self.starts = 0
        self.start()
        self.psql("postgres", "CREATE DATABASE lembra")

    @property
    def url(self):
        return f"postgres://lembra@127.0.0.1:{self.port}/lembra"

    def start(self):
        self.starts += 1
        name = f"postgres-{self.starts}"
        argv = [PYTHON, os.path.join(ROOT, "Tests/servers/postgres_server.py"), "--dir", self.dir,
                "--setting", "max_connections=300"]
        if self.port:
            argv += ["--port", str(self.port)]
        self.server = self.procs.start(name, argv, os.path.dirname(self.dir))
        self.port = base.read_ready_port(os.path.join(os.path.dirname(self.dir), f"{name}.out"), timeout=60)

    def crash(self):
        """Kills the server as a crash would (its wrapper dies, the server gets SIGQUIT), then
        starts it again on the same port and data, which recovers from its WAL."""
        self.procs.kill(self.server)
        pid_file = os.path.join(self.dir, "data", "postmaster.pid")
        base.wait_for(lambda: not os.path.exists(pid_file), 30, "PostgreSQL to stop")
        self.start()

    def stall(self, seconds):
        """Stops every server process for `seconds` (SIGSTOP), then lets them go on (SIGCONT)."""
        with open(os.path.join(self.dir, "data", "postmaster.pid")) as f:
            postmaster = int(f.readline())
        pids = [postmaster] + [p for p in self.children(postmaster)]
        for p in pids:
            os.kill(p, signal.SIGSTOP)
        try:
            time.sleep(seconds)
        finally:
            for p in pids:
                os.kill(p, signal.SIGCONT)

    @staticmethod
    def children(parent):
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                fields = open(stat).read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                yield int(stat.split("/")[2])

    def psql(self, database, sql):
        binary = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))[-1]
        r = subprocess.run([binary, "-X", "-q", "-A", "-t", "-F", "\x1f", "-h", "127.0.0.1", "-p", str(self.port), "-U", "lembra",
                            "-d", database, "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise base.CampaignError(f"psql failed: {r.stderr}")
        return [line.split("\x1f") for line in r.stdout.splitlines() if line]

    def attempts(self):
        """As `campaign.ledger_attempts`: every attempt with its debt."""
        rows = self.psql("lembra", """SELECT a.id, a.customer_id, i.debt_id, a.channel, i.step_id, a.state, COALESCE(a.reason, ''), a.tries
                                      FROM attempts a JOIN attempt_items i ON i.attempt_id = a.id""")
        return [(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or None, int(r[7])) for r in rows]

    def sending(self, owner):
        return {r[0] for r in self.psql("lembra", f"SELECT id FROM attempts WHERE state = 'sending' AND owner = '{owner}'")}


class DatabaseFaults(threading.Thread):
    """One crash and one stall of the database, each once sending has begun, at seeded moments.
    The thread lives until `stop()`: the restarted server dies with the thread that started it
    (its wrapper's parent-death signal follows the starting thread, not the process)."""

    def __init__(self, database, servers, rng):
        super().__init__(daemon=True)
        self.database, self.servers, self.rng = database, servers, rng
        self.done = threading.Event()
        self.injected_all = threading.Event()
        self.injected = collections.Counter()
        self.error = None

    def run(self):
        try:
            for kind in self.rng.sample(["crash", "stall"], 2):
                before = self.servers.mail_count()
                while not self.done.is_set() and self.servers.mail_count() < before + self.rng.randint(5, 40):
                    time.sleep(0.01)
                if self.done.is_set():
                    return
                if kind == "crash":
                    self.database.crash()
                else:
                    self.database.stall(STATEMENT_TIMEOUT + 3)
                self.injected[kind] += 1
                self.done.wait(self.rng.uniform(2, 5))
        except Exception as e:  # noqa: BLE001 - reported by the main thread
            self.error = e
        finally:
            self.injected_all.set()
        self.done.wait()

    def finish(self, timeout):
        """Waits until both faults are injected (or sending ended first, or the thread failed)."""
        self.injected_all.wait(timeout)
        if self.error:
            raise base.CampaignError(f"database faults failed: {self.error}")

    def stop(self):
        self.done.set()
        self.join(timeout=60)


def campaign(args, procs, tmp):
    rng_kills = random.Random(args.seed)
    rng_faults = random.Random(args.seed * 7919 + 1)
    rng_database = random.Random(args.seed * 104729 + 3)
    secret = "whsec_" + base64.b64encode(random.Random(args.seed).randbytes(24)).decode()
    # Each server reply waits `delay`, so that sending outlasts the kills (about 0.8 s apart) and
    # both database faults: all the daemons' connections send at once, so the delay grows with
    # them (3 daemons x 4 connections would otherwise send 300 e-mails in about 3 s).
    parallel = args.daemons * args.smtp_connections
    delay = round(min(0.2, args.kills * 1.5 * parallel / max(args.customers, 1) / 4), 4)
    database = Database(procs, tmp)
    servers = base.Servers(procs, tmp, secret, delay)
    daemons = []
    for n in range(1, args.daemons + 1):
        state = os.path.join(tmp, f"state-{n}")
        os.makedirs(state)
        block = (f"database: {database.url}\nstate_directory: {state}\n"
                 f"postgres: {{ daemon_id: d{n}, pool_size: 8, statement_timeout: {STATEMENT_TIMEOUT}s, lease: {LEASE}s }}")
        config, customers, debts = base.write_setup(tmp, args, servers.smtp_port, servers.webhook_port, secret,
                                                    database=block, name=f"lembra-{n}.yaml")
        daemons.append(base.Lembra(args.binary, config, tmp, procs, name=f"d{n}"))
    lembra = daemons[0]
    for step in (("check-config",), ("import", "customers", customers), ("import", "debts", debts)):
        r = lembra.run(*step)
        if r.returncode != 0:
            raise base.CampaignError(f"lembra {' '.join(step)} failed: {r.stdout}{r.stderr}")
    print(f"campaign: seed={args.seed} customers={args.customers} daemons={args.daemons} kills={args.kills} dir={tmp}", flush=True)

    running = {n: d.start_daemon() for n, d in enumerate(daemons)}
    faults = base.FaultTimeline(servers, rng_faults, args.smtp_timeout)
    database_faults = DatabaseFaults(database, servers, rng_database)
    faults.start()
    database_faults.start()
    left_sending = []
    kills = collections.Counter()
    started = time.monotonic()

    def check_alive():
        for n, p in running.items():
            if p.poll() is not None:
                raise base.CampaignError(f"daemon d{n + 1} exited by itself with {p.returncode}; see {tmp}/d{n + 1}-{daemons[n].starts:03d}.err")

    for k in range(args.kills):
        time.sleep(rng_kills.uniform(0.1, 1.5))
        check_alive()
        n = rng_kills.randrange(len(daemons))
        procs.kill(running[n])
        kills[f"d{n + 1}"] += 1
        try:
            left_sending.append(database.sending(f"d{n + 1}"))
        except base.CampaignError:  # the database is down or stalled just now: read it once it is back
            left_sending.append(base.wait_for(lambda: _try(database.sending, f"d{n + 1}"), 60, "the database after a fault")[0])
        running[n] = daemons[n].start_daemon()

    try:
        faults.round_done.wait(timeout=60)
        faults.stop()
        database_faults.finish(timeout=120)
        check_alive()
        base.wait_for(lambda: settled(database, lembra, args), args.drain_timeout, "every due step settled", interval=0.5)
        check_alive()
    finally:
        codes = [procs.kill(p, signal.SIGTERM) for p in running.values()]
    if any(codes):
        raise base.CampaignError(f"daemons stopped with {codes} after SIGTERM")
    elapsed = time.monotonic() - started

    violations, figures = base.verify(lembra, servers, args, database.attempts(), left_sending)
    print("\n== Lembra fault campaign on PostgreSQL ==")
    print(f"seed {args.seed}, {args.customers} customers x 2 channels, {args.daemons} daemons, {elapsed:.0f}s of faults and kills")
    print(f"kills done        {sum(kills.values())} ({', '.join(f'{k} {v}' for k, v in sorted(kills.items()))})")
    print(f"database faults   {dict(database_faults.injected)} (stall {STATEMENT_TIMEOUT + 3}s, statement timeout {STATEMENT_TIMEOUT}s)")
    print(f"server faults     {sum(faults.injected.values())} ({', '.join(f'{k} {v}' for k, v in sorted(faults.injected.items()))})")
    for name, value in figures.items():
        print(f"{name:<18}{value}" if len(name) < 18 else f"{name} {value}")
    if len(database_faults.injected) < 2:
        violations.append(f"only {dict(database_faults.injected)} database faults were injected: sending ended too soon")
    if violations:
        print(f"\nFAILED: {len(violations)} violations")
        for v in violations[:50]:
            print("  " + v)
        return 1
    print("\nOK: no duplicates across daemons; no daemon exited by itself; every due reminder delivered or recorded "
          "with a reason; ledger matches the servers")
    return 0


def settled(database, lembra, args):
    """True once every customer's two steps have an attempt and none is pending. Nothing pending
    alone is not enough here: a daemon may still hold due customers it leased and has not
    claimed yet (its tick was held up by a fault), which no `status` line counts."""
    if base.pending(lembra) != 0:
        return False
    rows = _try(database.attempts)
    return rows is not None and len(rows[0]) >= 2 * args.customers and not any(r[5] in base.PENDING for r in rows[0])


def _try(function, *arguments):
    """`(function(*arguments),)`, or None while the database can't answer (for `wait_for`)."""
    try:
        return (function(*arguments),)
    except base.CampaignError:
        return None


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--kills", type=int)
    p.add_argument("--customers", type=int)
    p.add_argument("--daemons", type=int, default=3)
    p.add_argument("--quick", action="store_true", help="CI size: ~10 kills, ~300 customers")
    p.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/lembra"))
    p.add_argument("--keep", action="store_true", help="keep the temp dir (logs, maildir, database) for inspection")
    args = p.parse_args()
    args.kills = args.kills if args.kills is not None else (10 if args.quick else 30)
    args.customers = args.customers if args.customers is not None else (300 if args.quick else 2000)
    args.smtp_timeout = 2
    args.smtp_connections = 4
    args.drain_timeout = 180 if args.quick else 400
    if not os.access(args.binary, os.X_OK):
        print(f"campaign: {args.binary} is missing: run `swift build` first", file=sys.stderr)
        return 2
    procs = base.Processes()
    tmp = tempfile.mkdtemp(prefix="lembra-faults-pg-")
    os.chmod(tmp, 0o755)  # the server runs as `postgres` when the campaign runs as root
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(2))
    code = 2
    try:
        code = campaign(args, procs, tmp)
    except base.CampaignError as e:
        print(f"campaign: could not run: {e}", file=sys.stderr)
    finally:
        procs.kill_all()
        if args.keep or code != 0:
            print(f"campaign: logs, maildir and database kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
