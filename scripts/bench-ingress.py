#!/usr/bin/env python3
"""Load test of the payments ingress: confirmations from many concurrent clients while a tick sends.

Builds a scratch installation (an SMTP test server on loopback, BENCH_DEBTS customers with one
overdue debt each), starts `lembra run` (the daemon, with `ingress:` on a free loopback port and
the SMTP channel paced by `rate:` so the first tick is still sending during the load), then POSTs
one signed confirmation (POST /payments, Standard Webhooks reference library) for each of the
first BENCH_CONFIRMATIONS debts from BENCH_CLIENTS threads, each on its own keep-alive
connection; then the same confirmations again (replays). Reports the throughput and latencies of
both passes, then stops the daemon and checks the ledger: every confirmation recorded exactly once,
every replay answered "duplicate", no confirmation lost.

Usage: scripts/bench-ingress.py [path/to/lembra]  (default .build/release/lembra, else .build/debug/lembra)
Environment: BENCH_CONFIRMATIONS (1000), BENCH_CLIENTS (50), BENCH_DEBTS (2000), BENCH_RATE (100
messages/s on the SMTP channel), BENCH_KEEP=1 keeps the work directory.
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
secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
now = "2026-11-18T10:00:00-03:00"  # a Wednesday inside the sending window; every debt is 1 day overdue
now_unix = 1795006800


def wait_for(condition, what, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            sys.exit(f"timed out waiting for {what}")
        time.sleep(0.02)


def run(*args):
    subprocess.run([binary, *args, "--config", config, "--now", now], check=True, stdout=subprocess.DEVNULL)


work = tempfile.mkdtemp(prefix="lembra-bench-ingress.")
processes = []
try:
    smtp = subprocess.Popen([sys.executable, f"{repo}/Tests/servers/smtp_server.py", "--maildir", f"{work}/maildir"],
                            stdout=subprocess.PIPE, stderr=open(f"{work}/smtp.log", "w"), text=True)
    processes.append(smtp)
    smtp_port = int(smtp.stdout.readline().split()[1])
    with open(f"{work}/payments-secret", "w") as f:
        f.write(secret)
    os.chmod(f"{work}/payments-secret", 0o600)
    config = f"{work}/lembra.yaml"
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
    run("import", "customers", f"{work}/customers.csv")
    run("import", "debts", f"{work}/debts.csv")

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

    results = {name: load(name) for name in ("first", "replay")}
    ticking = "event=tick " not in log()
    daemon.terminate()
    daemon.wait(timeout=120)

    db = sqlite3.connect(f"{work}/lembra.sqlite")
    recorded = db.execute("SELECT count(*), count(DISTINCT reference) FROM payments WHERE source = 'payments_webhook'").fetchone()
    paid = db.execute(f"SELECT count(*) FROM debts WHERE paid_at IS NOT NULL AND CAST(substr(id, 2) AS INTEGER) < {confirmations}").fetchone()[0]
    sent = db.execute("SELECT kind, state, count(*) FROM attempts GROUP BY 1, 2 ORDER BY 1, 2").fetchall()
    print(f"machine: {os.cpu_count()} cores, {os.uname().sysname} {os.uname().release}; binary: {binary}")
    print(f"confirmations={confirmations} clients={clients} debts={debts} smtp_rate={rate}/s "
          f"tick_still_running_at_end_of_load={ticking}")
    for name, (seconds, lat, answers) in results.items():
        q = statistics.quantiles(lat, n=100)
        print(f"{name}: {seconds:.2f}s {confirmations / seconds:.0f}/s p50={q[49] * 1000:.1f}ms p95={q[94] * 1000:.1f}ms "
              f"p99={q[98] * 1000:.1f}ms max={lat[-1] * 1000:.1f}ms answers={answers}")
    print(f"ledger: payments={recorded[0]} distinct_references={recorded[1]} debts_paid={paid} attempts={sent}")
    ok = (recorded == (confirmations, confirmations) and paid == confirmations
          and results["first"][2] == {'200 {"result":"recorded"}': confirmations}
          and results["replay"][2] == {'200 {"result":"duplicate"}': confirmations})
    print("exactly once: " + ("yes" if ok else "NO"))
    sys.exit(0 if ok else 1)
finally:
    for p in processes:
        if p.poll() is None:
            p.kill()
            p.wait()
    if os.environ.get("BENCH_KEEP") == "1":
        print(f"kept {work}")
    else:
        shutil.rmtree(work)
