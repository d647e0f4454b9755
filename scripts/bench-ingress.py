#!/usr/bin/env python3
"""Load test of the payments ingress (part of `make bench`): confirmations from many concurrent
clients while a tick sends.

Each run builds a scratch installation (an SMTP test server on loopback, BENCH_DEBTS customers
with one overdue debt each), starts `lembra run` (the daemon, with `ingress:` on a free loopback
port and the SMTP channel paced by `rate:` so the first tick is still sending during the load),
then, from BENCH_CLIENTS threads, each on its own keep-alive connection, sends three passes of
BENCH_CONFIRMATIONS requests:
  ceiling  GET /healthz, with the same client work per request (signing the body included): what
           this client gets from the listener when the server does nothing, the pass the other
           two are compared with;
  first    one signed confirmation (POST /payments, Standard Webhooks reference library) for each
           of the first BENCH_CONFIRMATIONS debts: each is a commit to the ledger;
  replay   the same confirmations again: each is answered "duplicate" from a read.
Then it stops the daemon, measures single-row commits per second on the same disk (the first
pass's ceiling: each new confirmation is one commit) and checks the ledger: every confirmation recorded exactly once, every
replay answered "duplicate", no confirmation lost. BENCH_RUNS runs (3); prints every run, then the
median of each pass and its ratio to the ceiling. Exits non-zero if any run was not exactly once.

Usage: scripts/bench-ingress.py [path/to/lembra]  (default .build/release/lembra, else .build/debug/lembra)
Environment: BENCH_CONFIRMATIONS (1000), BENCH_CLIENTS (50), BENCH_DEBTS (2000), BENCH_RATE (100
messages/s on the SMTP channel), BENCH_RUNS (3), BENCH_KEEP=1 keeps the work directories.
"""
import datetime
import http.client
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from standardwebhooks.webhooks import Webhook

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = sys.argv[1] if len(sys.argv) > 1 else next(
    (p for p in (f"{repo}/.build/release/lembra", f"{repo}/.build/debug/lembra") if os.path.exists(p)), None)
confirmations = int(os.environ.get("BENCH_CONFIRMATIONS", 1000))
clients = int(os.environ.get("BENCH_CLIENTS", 50))
debts = max(int(os.environ.get("BENCH_DEBTS", 2000)), confirmations)
rate = os.environ.get("BENCH_RATE", "100")
runs = int(os.environ.get("BENCH_RUNS", 3))
secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
now = "2026-11-18T10:00:00-03:00"  # a Wednesday inside the sending window; every debt is 1 day overdue
now_unix = 1795006800


def wait_for(condition, what, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            sys.exit(f"timed out waiting for {what}")
        time.sleep(0.02)


def commit_rate(path, n=500):
    """Single-row commits per second, each synced before the next, as the ledger makes them (WAL;
    SQLite's synchronous=FULL here, the ledger's own WAL sync there: one fdatasync per commit
    either way): each new confirmation is one, so this is the first pass's ceiling on this disk
    at this moment."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, reference TEXT)")
    started = time.perf_counter()
    for i in range(n):
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t (reference) VALUES (?)", (f"BENCH-{i}",))
        db.execute("COMMIT")
    seconds = time.perf_counter() - started
    db.close()
    return n / seconds


def one_run(number):
    """One run on a fresh installation: prints its lines, returns ({pass: requests per second}, exactly once)."""
    work = tempfile.mkdtemp(prefix="lembra-bench-ingress.")
    config = f"{work}/lembra.yaml"
    processes = []

    def lembra(*args):
        subprocess.run([binary, *args, "--config", config, "--now", now], check=True, stdout=subprocess.DEVNULL)

    try:
        smtp = subprocess.Popen([sys.executable, f"{repo}/Tests/servers/smtp_server.py", "--maildir", f"{work}/maildir"],
                                stdout=subprocess.PIPE, stderr=open(f"{work}/smtp.log", "w"), text=True)
        processes.append(smtp)
        smtp_port = int(smtp.stdout.readline().split()[1])
        with open(f"{work}/payments-secret", "w") as f:
            f.write(secret)
        os.chmod(f"{work}/payments-secret", 0o600)
        with open(config, "w") as f:
            f.write(f"""database: {work}/lembra.sqlite
tick: 1h
business: {{ name: Oficina Bench Ltda, document: 11.222.333/0001-81, address: "Rua Bench, 1" }}
templates: {repo}/config/templates
ladders:
  upcoming: []
  forgetful: [ {{ at: 1d, channel: email, template: friendly }} ]
  short_delay: [ {{ at: 6d, channel: email, template: friendly }} ]
  chronic: [ {{ at: 1d, channel: email, template: friendly }} ]
on_paid: [ {{ channel: email, template: thanks }} ]
channels:
  email: {{ type: smtp, url: "smtp://127.0.0.1:{smtp_port}", tls: none, from: "Bench <cobranca@bench.test>", rate: {rate} }}
ingress: {{ listen: "127.0.0.1:0", payments_secret_file: payments-secret }}
""")
        with open(f"{work}/customers.csv", "w") as f:
            f.write("id,name,email\n" + "".join(f"c{i},Cliente {i},c{i}@example.com\n" for i in range(debts)))
        with open(f"{work}/debts.csv", "w") as f:
            f.write("id,customer_id,amount,due_date\n" + "".join(f"d{i},c{i},{100 + i % 900}.00,2026-11-17\n" for i in range(debts)))
        lembra("import", "customers", f"{work}/customers.csv")
        lembra("import", "debts", f"{work}/debts.csv")

        log_path = f"{work}/daemon.log"
        daemon = subprocess.Popen([binary, "run", "--config", config, "--now", now], stdout=subprocess.DEVNULL,
                                  stderr=open(log_path, "w"))
        processes.append(daemon)
        log = lambda: open(log_path).read()
        wait_for(lambda: "event=ingress_listening" in log(), "the listener")
        port = int(log().split("event=ingress_listening")[1].split("port=")[1].split()[0])
        wait_for(lambda: os.path.isdir(f"{work}/maildir/new") and os.listdir(f"{work}/maildir/new"), "the tick's first e-mail")

        webhook = Webhook(secret)
        bodies = [('{"debt_id":"d%d","amount_cents":"%d","paid_at":"2026-11-18T10:00:00-03:00","reference":"BENCH-%d"}'
                   % (i, (100 + i % 900) * 100, i)) for i in range(confirmations)]

        def load(name):
            """Every body once, from `clients` threads; returns (seconds, latencies, answers)."""
            latencies, answers, lock = [], {}, threading.Lock()
            chunks = [range(k, confirmations, clients) for k in range(clients)]

            def client(indices):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                for i in indices:
                    msg_id = f"msg_{name}_{i}"
                    headers = {"content-type": "application/json", "webhook-id": msg_id, "webhook-timestamp": str(now_unix),
                               "webhook-signature": webhook.sign(msg_id, datetime.datetime.fromtimestamp(now_unix, datetime.timezone.utc), bodies[i])}
                    started = time.perf_counter()
                    if name == "ceiling":
                        conn.request("GET", "/healthz", headers=headers)
                    else:
                        conn.request("POST", "/payments", body=bodies[i], headers=headers)
                    response = conn.getresponse()
                    answer = f"{response.status} {response.read().decode().strip()}"
                    with lock:
                        latencies.append(time.perf_counter() - started)
                        answers[answer] = answers.get(answer, 0) + 1
                conn.close()

            threads = [threading.Thread(target=client, args=(chunk,)) for chunk in chunks]
            started = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            return time.perf_counter() - started, sorted(latencies), answers

        results = {name: load(name) for name in ("ceiling", "first", "replay")}
        ticking = "event=tick " not in log()
        daemon.terminate()
        daemon.wait(timeout=120)

        commits = commit_rate(f"{work}/commits.sqlite")
        db = sqlite3.connect(f"{work}/lembra.sqlite")
        recorded = db.execute("SELECT count(*), count(DISTINCT reference) FROM payments WHERE source = 'payments_webhook'").fetchone()
        paid = db.execute(f"SELECT count(*) FROM debts WHERE paid_at IS NOT NULL AND CAST(substr(id, 2) AS INTEGER) < {confirmations}").fetchone()[0]
        sent = db.execute("SELECT kind, state, count(*) FROM attempts GROUP BY 1, 2 ORDER BY 1, 2").fetchall()
        db.close()
        print(f"run {number}: tick_still_running_at_end_of_load={ticking}")
        rates = {}
        for name, (seconds, lat, answers) in results.items():
            q = statistics.quantiles(lat, n=100)
            rates[name] = confirmations / seconds
            print(f"{name}: {seconds:.2f}s {rates[name]:.0f}/s p50={q[49] * 1000:.1f}ms p95={q[94] * 1000:.1f}ms "
                  f"p99={q[98] * 1000:.1f}ms max={lat[-1] * 1000:.1f}ms answers={answers}")
        rates["commits"] = commits
        print(f"commits: {commits:.0f}/s (one-row transactions, WAL, each synced, on the ledger's disk, just after the load)")
        print(f"ledger: payments={recorded[0]} distinct_references={recorded[1]} debts_paid={paid} attempts={sent}")
        ok = (recorded == (confirmations, confirmations) and paid == confirmations
              and results["ceiling"][2] == {'200 {"result":"ok"}': confirmations}
              and results["first"][2] == {'200 {"result":"recorded"}': confirmations}
              and results["replay"][2] == {'200 {"result":"duplicate"}': confirmations})
        print("exactly once: " + ("yes" if ok else "NO"), flush=True)
        return rates, ok
    finally:
        for p in processes:
            if p.poll() is None:
                p.kill()
                p.wait()
        if os.environ.get("BENCH_KEEP") == "1":
            print(f"kept {work}")
        else:
            shutil.rmtree(work)


print(f"machine: {os.cpu_count()} cores, {os.uname().sysname} {os.uname().release}; binary: {binary}")
print(f"confirmations={confirmations} clients={clients} debts={debts} smtp_rate={rate}/s runs={runs}", flush=True)
outcomes = [one_run(k) for k in range(1, runs + 1)]
medians = {name: statistics.median(rates[name] for rates, _ in outcomes) for name in ("ceiling", "first", "replay", "commits")}
print(f"median of {runs} runs: ceiling (GET /healthz) {medians['ceiling']:.0f}/s; "
      f"first {medians['first']:.0f}/s = {medians['first'] / medians['ceiling']:.2f}x the ceiling "
      f"({medians['first'] / medians['commits']:.2f}x the commits, {medians['commits']:.0f}/s); "
      f"replay {medians['replay']:.0f}/s = {medians['replay'] / medians['ceiling']:.2f}x the ceiling")
print("ratios by run (first/ceiling, first/commits, replay/ceiling): "
      + ", ".join(f"{r['first'] / r['ceiling']:.2f} {r['first'] / r['commits']:.2f} {r['replay'] / r['ceiling']:.2f}" for r, _ in outcomes))
all_ok = all(ok for _, ok in outcomes)
print("exactly once in every run: " + ("yes" if all_ok else "NO"))
sys.exit(0 if all_ok else 1)
