#!/usr/bin/env python3
"""The shared ledger's throughput (part of `make bench`): one round of CUSTOMERS due customers
(default 50,000), one e-mail each into an outbox folder, sent by 1, 2 and 4 daemons on one
PostgreSQL, and by one daemon on SQLite, in the same run.

    .venv/bin/python scripts/bench-postgres.py BINARY [--customers N] [--runs N]

Each case gets a fresh ledger with the same imported data; its daemons (`lembra run`, tick 1s)
start together and are stopped (SIGTERM) once every customer's reminder is `sent`. Printed per
case: messages per second (wall clock from start to the last `sent`), CPU per message of the
daemons (user + system, from their rusage) and of the PostgreSQL server (its processes' CPU
from /proc), and the ratio of messages per second to SQLite's in the same run. The PostgreSQL
server keeps its durable defaults (fsync, synchronous_commit on), as the SQLite ledger syncs
every commit before acting on it. Medians of `--runs` (3) runs; the raw runs are printed too.
"""
import argparse
import glob
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
NOW = "2026-11-18T10:00:00-03:00"
TICKS = os.sysconf("SC_CLK_TCK")


def psql(port, database, sql):
    binary = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))[-1]
    r = subprocess.run([binary, "-X", "-q", "-A", "-t", "-h", "127.0.0.1", "-p", str(port), "-U", "lembra", "-d", database,
                        "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        sys.exit(f"bench-postgres: psql failed: {r.stderr}")
    return r.stdout.strip()


def server_cpu(data_dir):
    """CPU seconds used so far by the PostgreSQL server: its postmaster and every child."""
    with open(os.path.join(data_dir, "postmaster.pid")) as f:
        postmaster = int(f.readline())
    total = 0.0
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = open(stat).read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.split("/")[2])
        if pid == postmaster or int(fields[1]) == postmaster:
            # utime, stime, and the waited-for children's (cutime, cstime): a backend that
            # exited during the round is counted in the postmaster's.
            total += sum(int(v) for v in fields[11:15]) / TICKS
    return total


def write_inputs(tmp, customers):
    c_path, d_path = os.path.join(tmp, "customers.csv"), os.path.join(tmp, "debts.csv")
    with open(c_path, "w") as c, open(d_path, "w") as d:
        c.write("id,name,email\n")
        d.write("id,customer_id,amount,due_date\n")
        for i in range(customers):
            c.write(f"c{i:06d},Cliente {i},c{i:06d}@example.com\n")
            d.write(f"d{i:06d},c{i:06d},{100 + i % 900}.{i % 100:02d},2026-11-17\n")
    return c_path, d_path


def write_config(path, database, outbox, extra=""):
    ladder = "[ { at: 1d, channel: email, template: friendly, id: forgetful.1d } ]"
    with open(path, "w") as f:
        f.write(f"""{database}
{extra}tick: 1s
timezone: America/Sao_Paulo
business: {{ name: Oficina Bench Ltda, document: 11.222.333/0001-81, address: "Rua Teste, 1" }}
limits: {{ min_gap: 0s, per_customer_per_week: 0 }}
ladders: {{ upcoming: [], forgetful: {ladder}, short_delay: {ladder}, chronic: {ladder} }}
templates: {ROOT}/config/templates
channels:
  email: {{ type: outbox, path: {outbox}, from: "Oficina Bench <cobranca@oficina.test>" }}
payment_link: {{ kind: url, template: "https://pay.test/d/{{{{debt.id}}}}" }}
""")


def run(binary, config, *args):
    r = subprocess.run([binary, *args, "--config", config, "--now", NOW], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        sys.exit(f"bench-postgres: lembra {' '.join(args)} failed: {r.stdout}{r.stderr}")


def round_of(binary, configs, customers, sent):
    """Starts a daemon per config, waits until `sent()` reaches `customers`, stops them; returns
    (wall seconds, daemons' CPU seconds)."""
    started = time.monotonic()
    daemons = [subprocess.Popen([binary, "run", "--config", c, "--now", NOW], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for c in configs]
    try:
        while sent() < customers:
            if any(d.poll() is not None for d in daemons):
                sys.exit("bench-postgres: a daemon exited by itself")
            time.sleep(0.2)
        wall = time.monotonic() - started
    finally:
        for d in daemons:
            if d.poll() is None:
                d.send_signal(signal.SIGTERM)
    cpu = 0.0
    for d in daemons:
        _, _, usage = os.wait4(d.pid, 0)
        cpu += usage.ru_utime + usage.ru_stime
    return wall, cpu


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("binary")
    p.add_argument("--customers", type=int, default=int(os.environ.get("BENCH_CUSTOMERS", 50_000)))
    p.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 3)))
    args = p.parse_args()
    tmp = tempfile.mkdtemp(prefix="lembra-bench-pg-")
    os.chmod(tmp, 0o755)  # the server runs as `postgres` when the bench runs as root
    server = None
    try:
        os.makedirs(os.path.join(tmp, "pg"))
        log = open(os.path.join(tmp, "postgres.out"), "w")
        server = subprocess.Popen([PYTHON, os.path.join(ROOT, "Tests/servers/postgres_server.py"), "--dir", os.path.join(tmp, "pg"),
                                   "--setting", "max_connections=200"], stdout=log, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while "READY" not in open(log.name).read():
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("bench-postgres: PostgreSQL did not start")
            time.sleep(0.1)
        port = int(open(log.name).read().split("READY")[1].split()[0])
        data_dir = os.path.join(tmp, "pg", "data")
        customers_csv, debts_csv = write_inputs(tmp, args.customers)
        results = {}
        for r in range(args.runs):
            for case in ("sqlite", 1, 2, 4):
                work = os.path.join(tmp, f"run-{r}-{case}")
                os.makedirs(work)
                configs = []
                if case == "sqlite":
                    config = os.path.join(work, "lembra.yaml")
                    write_config(config, f"database: {work}/lembra.sqlite", os.path.join(work, "outbox"))
                    configs.append(config)
                    run(args.binary, config, "import", "customers", customers_csv)
                    run(args.binary, config, "import", "debts", debts_csv)

                    def sent(path=f"{work}/lembra.sqlite"):
                        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                            return db.execute("SELECT n FROM attempt_counts WHERE state = 'sent'").fetchone()[0]
                else:
                    name = f"bench_{r}_{case}"
                    psql(port, "postgres", f"CREATE DATABASE {name}")
                    for n in range(case):
                        config = os.path.join(work, f"lembra-{n}.yaml")
                        write_config(config, f"database: postgres://lembra@127.0.0.1:{port}/{name}", os.path.join(work, f"outbox-{n}"),
                                     extra=f"state_directory: {work}/state-{n}\npostgres: {{ daemon_id: bench-{n} }}\n")
                        os.makedirs(os.path.join(work, f"state-{n}"))
                        configs.append(config)
                    run(args.binary, configs[0], "import", "customers", customers_csv)
                    run(args.binary, configs[0], "import", "debts", debts_csv)

                    def sent(name=name):
                        return int(psql(port, name, "SELECT count(*) FROM attempts WHERE state = 'sent'"))
                before = server_cpu(data_dir)
                wall, cpu = round_of(args.binary, configs, args.customers, sent)
                database_cpu = server_cpu(data_dir) - before if case != "sqlite" else 0.0
                results.setdefault(case, []).append((args.customers / wall, cpu / args.customers * 1e6, database_cpu / args.customers * 1e6))
                shutil.rmtree(work, ignore_errors=True)
        print(f"== Shared ledger: {args.customers} due customers, one e-mail each to an outbox, {args.runs} runs ==")
        print(f"machine: {os.cpu_count()} cores; PostgreSQL {psql(port, 'postgres', 'SHOW server_version')} on the same host")
        sqlite_rate = statistics.median(x[0] for x in results["sqlite"])
        print(f"{'case':<18}{'msg/s':>10}{'daemon CPU/msg':>16}{'server CPU/msg':>16}{'vs SQLite':>11}   raw msg/s")
        for case, rows in results.items():
            rate = statistics.median(x[0] for x in rows)
            label = "SQLite, 1 daemon" if case == "sqlite" else f"PostgreSQL, {case}"
            print(f"{label:<18}{rate:>10.0f}{statistics.median(x[1] for x in rows):>14.0f}us{statistics.median(x[2] for x in rows):>14.0f}us"
                  f"{rate / sqlite_rate:>10.2f}x   {' '.join(f'{x[0]:.0f}' for x in rows)}")
    finally:
        if server is not None and server.poll() is None:
            server.kill()
            server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
