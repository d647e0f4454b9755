#!/usr/bin/env python3
"""Lembra's fault campaign: SIGKILL the daemon at random moments and break its servers, then
check, against what the SERVERS received, that no (debt, step) reminder went out twice.

    .venv/bin/python Tests/faults/campaign.py [--seed N] [--kills N] [--customers N] [--quick]

One debt per customer, each due yesterday, and a ladder with two steps due now: an e-mail (SMTP
to a real aiosmtpd server) and an SMS (a Standard Webhooks receiver). The daemon (`lembra run`,
tick 1s, fast retries) is killed with SIGKILL at seeded moments (during start-up and claim,
mid-send, right after a message arrived = while recording) and restarted, while a seeded
timeline restarts the SMTP server, makes it answer 421/451 or stall past the client timeout, and
makes the receiver answer 500, 429 with Retry-After, or stall. After each kill it notes
which attempts the ledger left `sending`. Then, with the faults off, the daemon runs until nothing
is pending, and the campaign verifies:
  (a) no duplicates: at most one e-mail per (customer, step) at the SMTP server, and one distinct
      webhook-id per (customer, step) at the receiver (the same id again is the dedupe contract);
  (b) every reminder due was delivered, or is recorded in_doubt / skipped / dead with a reason
      that `lembra history` shows;
  (c) the ledger's `sent` attempts are exactly what the servers accepted (e-mail: received, and a
      received message not `sent` must be `in_doubt`; webhooks: distinct ids answered 2xx);
  (d) per kill, at most one e-mail per open SMTP connection is in doubt (the one on the wire,
      whose reply was never read): each attempt in doubt for an interrupted send is counted
      against the last kill that left it `sending`.
It prints three figures: duplicates, in doubt per kill (most, against the connections), due steps
unaccounted for (neither sent nor with a reason in `history`).
Exit status 0 when every check holds, 1 on any violation, 2 when the campaign itself failed.
"""
import argparse
import base64
import collections
import datetime as dt
import email
import email.policy
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
BASE_NOW = dt.datetime(2026, 11, 18, 10, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3)))  # a Wednesday
DUE = "2026-11-17"
STEPS = {"email": "forgetful.1d", "sms": "forgetful.1d.sms"}
PENDING = ("claimed", "sending", "retry")


class CampaignError(Exception):
    """The campaign could not run (not a finding about Lembra)."""


class Processes:
    """Every process the campaign starts, so all of them are SIGKILLed (by pid) on exit."""

    def __init__(self):
        self.live = {}

    def start(self, name, argv, log_dir):
        out = open(os.path.join(log_dir, f"{name}.out"), "ab")
        err = open(os.path.join(log_dir, f"{name}.err"), "ab")
        p = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=ROOT)
        out.close(), err.close()
        self.live[p.pid] = p
        return p

    def kill(self, p, sig=signal.SIGKILL, timeout=30):
        if p.poll() is None:
            os.kill(p.pid, sig)
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.kill(p.pid, signal.SIGKILL)
            p.wait(timeout=10)
        self.live.pop(p.pid, None)
        return p.returncode

    def kill_all(self):
        for p in list(self.live.values()):
            if p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)
            p.wait()
        self.live.clear()


def wait_for(condition, timeout, what, interval=0.02):
    """Polls `condition` until it is true or `timeout` seconds pass (then raises)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise CampaignError(f"timed out after {timeout}s waiting for {what}")


def read_ready_port(path, timeout=20):
    def port():
        try:
            m = re.search(r"READY (\d+)", open(path).read())
        except OSError:
            return None
        return int(m.group(1)) if m else None
    return wait_for(port, timeout, f"READY in {path}")


class Servers:
    """The aiosmtpd server (restartable on its port) and the webhook receiver, both with --control files."""

    def __init__(self, procs, tmp, secret, delay):
        self.procs, self.tmp, self.secret = procs, tmp, secret
        self.maildir = os.path.join(tmp, "Maildir")
        self.record = os.path.join(tmp, "webhooks.jsonl")
        self.smtp_control = os.path.join(tmp, "smtp-control.json")
        self.webhook_control = os.path.join(tmp, "webhook-control.json")
        self.ok = {"mode": "ok", "delay": delay}
        self._seen_bytes = self._seen_lines = 0
        self.set_smtp(self.ok)
        self.set_webhook(self.ok)
        self.smtp_port = 0
        self.smtp = None
        self.smtp_starts = 0
        self.start_smtp()
        log = os.path.join(tmp, "webhook.out")
        self.webhook = procs.start("webhook", [PYTHON, os.path.join(ROOT, "Tests/servers/webhook_receiver.py"), "--port", "0",
                                               "--secret", secret, "--record", self.record, "--control", self.webhook_control,
                                               "--delay", str(delay)], tmp)
        self.webhook_port = read_ready_port(log)

    def start_smtp(self):
        self.smtp_starts += 1
        log = os.path.join(self.tmp, f"smtp-{self.smtp_starts}")
        self.smtp = self.procs.start(f"smtp-{self.smtp_starts}", [PYTHON, os.path.join(ROOT, "Tests/servers/smtp_server.py"),
                                                                   "--port", str(self.smtp_port), "--maildir", self.maildir,
                                                                   "--control", self.smtp_control], self.tmp)
        port = read_ready_port(log + ".out")
        if self.smtp_port and port != self.smtp_port:
            raise CampaignError(f"SMTP server came back on {port}, not {self.smtp_port}")
        self.smtp_port = port

    def restart_smtp(self):
        self.procs.kill(self.smtp)
        deadline = time.monotonic() + 15
        while True:  # the port may linger for a moment; bounded retries
            try:
                self.start_smtp()
                return
            except CampaignError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    @staticmethod
    def write_control(path, control):
        with open(path + ".tmp", "w") as f:
            json.dump(control, f)
        os.replace(path + ".tmp", path)  # atomic: a server never reads half a file

    def set_smtp(self, control):
        self.write_control(self.smtp_control, control)

    def set_webhook(self, control):
        self.write_control(self.webhook_control, control)

    def mail_count(self):
        try:
            return len(os.listdir(os.path.join(self.maildir, "new")))
        except OSError:
            return 0

    def webhook_count(self):
        """Requests recorded so far; reads only what was appended since the last call."""
        try:
            with open(self.record, "rb") as f:
                f.seek(self._seen_bytes)
                chunk = f.read()
        except OSError:
            return self._seen_lines
        self._seen_bytes += len(chunk)
        self._seen_lines += chunk.count(b"\n")
        return self._seen_lines


class FaultTimeline(threading.Thread):
    """Seeded server faults, one at a time, each for a bounded while, until stopped."""

    KINDS = ["smtp_restart", "smtp_421", "smtp_451", "smtp_stall", "webhook_500", "webhook_429", "webhook_stall"]

    def __init__(self, servers, rng, smtp_timeout):
        super().__init__(daemon=True)
        self.servers, self.rng, self.smtp_timeout = servers, rng, smtp_timeout
        self.done = threading.Event()
        self.round_done = threading.Event()  # every kind injected at least once
        self.injected = collections.Counter()
        self.error = None

    def run(self):
        try:
            kinds = []
            while not self.done.wait(self.rng.uniform(0.3, 1.5)):
                if not kinds:  # every kind once per round, in a seeded order
                    if self.injected:
                        self.round_done.set()
                    kinds = self.rng.sample(self.KINDS, len(self.KINDS))
                kind = kinds.pop()
                length = self.rng.uniform(1.0, 3.0)
                self.injected[kind] += 1
                if kind == "smtp_restart":
                    self.servers.restart_smtp()
                    continue
                if kind.startswith("smtp_"):
                    mode = kind[5:]
                    control = {"mode": mode, "seconds": self.smtp_timeout + 1} if mode == "stall" else {"mode": mode}
                    self.servers.set_smtp(control)
                    self.done.wait(length if mode != "stall" else 0.3)  # a short stall window: each one is an e-mail in doubt
                    self.servers.set_smtp(self.servers.ok)
                else:
                    mode = kind[8:]
                    control = {"mode": mode, "retry_after": str(self.rng.choice([1, 2])), "seconds": 3}
                    self.servers.set_webhook(control)
                    self.done.wait(length)
                    self.servers.set_webhook(self.servers.ok)
        except Exception as e:  # noqa: BLE001 - reported by the main thread
            self.error = e

    def stop(self):
        self.done.set()
        self.join(timeout=30)
        self.servers.set_smtp(self.servers.ok)
        self.servers.set_webhook(self.servers.ok)
        if self.error:
            raise CampaignError(f"fault timeline failed: {self.error}")


class Lembra:
    """The built binary with the campaign's config; `now()` follows real time from BASE_NOW, so a
    restarted daemon's clock never goes back (retries are scheduled on it)."""

    def __init__(self, binary, config, tmp, procs, name="daemon"):
        self.binary, self.config, self.tmp, self.procs, self.name = binary, config, tmp, procs, name
        self.t0 = time.monotonic()
        self.starts = 0

    def now(self):
        return (BASE_NOW + dt.timedelta(seconds=time.monotonic() - self.t0)).isoformat(timespec="seconds")

    def run(self, *args, timeout=120):
        r = subprocess.run([self.binary, *args, "--config", self.config, "--now", self.now()], capture_output=True,
                           text=True, stdin=subprocess.DEVNULL, timeout=timeout, cwd=ROOT)
        return r

    def start_daemon(self):
        self.starts += 1
        return self.procs.start(f"{self.name}-{self.starts:03d}", [self.binary, "run", "--config", self.config, "--now", self.now()],
                                self.tmp)


def write_setup(tmp, args, smtp_port, webhook_port, secret, database=None, name="lembra.yaml"):
    """Writes the config `name` (on `database`, a `database:` block; by default the SQLite file
    in `tmp`), the secret file and the CSVs; returns their paths."""
    secret_file = os.path.join(tmp, "sms-secret")
    with open(secret_file, "w") as f:
        f.write(secret)
    os.chmod(secret_file, 0o600)
    config = os.path.join(tmp, name)
    ladder = ("[ { at: 1d, channel: email, template: friendly, id: forgetful.1d },"
              " { at: 1d, channel: sms, template: friendly-sms, id: forgetful.1d.sms } ]")
    with open(config, "w") as f:
        f.write(f"""# Written by Tests/faults/campaign.py (seed {args.seed}).
{database or f"database: {tmp}/lembra.sqlite"}
tick: 1s
timezone: America/Sao_Paulo
business:
  name: Oficina Teste Ltda
  document: 11.222.333/0001-81
  address: Rua Teste, 1 — São Paulo/SP
limits: {{ min_gap: 0s, per_customer_per_week: 0 }}
ladders:
  upcoming: []
  forgetful: {ladder}
  short_delay: {ladder}
  chronic: {ladder}
on_paid: [ {{ channel: email, template: thanks }} ]
templates: {ROOT}/config/templates
channels:
  email: {{ type: smtp, url: "smtp://127.0.0.1:{smtp_port}", tls: none, from: "Oficina Teste <cobranca@oficina.test>", timeout: {args.smtp_timeout}s, connect_timeout: 2s, max_connections: {args.smtp_connections} }}
  sms: {{ type: webhook, url: "http://127.0.0.1:{webhook_port}/send", secret_file: "{secret_file}", requires: phone, timeout: 2s, connect_timeout: 2s, max_connections: 16 }}
payment_link: {{ kind: url, template: "https://pay.test/d/{{{{debt.id}}}}" }}
in_doubt: skip
retry: {{ base_delay: 1s, max_delay: 2s, max_tries: 12 }}
shutdown_timeout: 10s
""")
    customers = os.path.join(tmp, "customers.csv")
    debts = os.path.join(tmp, "debts.csv")
    with open(customers, "w") as c, open(debts, "w") as d:
        c.write("id,name,email,phone\n")
        d.write("id,customer_id,amount,due_date,description\n")
        for i in range(args.customers):
            phone = f"+55 11 9{i:04d}-{i % 10000:04d}" if i % 50 != 7 else ""  # no phone: the SMS is skipped (no_address)
            c.write(f"c{i:05d},Cliente {i},c{i:05d}@example.com,{phone}\n")
            d.write(f"d{i:05d},c{i:05d},{100 + i % 900}.{i % 100:02d},{DUE},Serviço {i}\n")
    return config, customers, debts


def ledger_attempts(db):
    """Every attempt with its debt, read-only (the daemon is stopped by then)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute("""SELECT a.id, a.customer_id, i.debt_id, a.channel, i.step_id, a.state, a.reason, a.tries
                              FROM attempts a JOIN attempt_items i ON i.attempt = a.seq""").fetchall()
    finally:
        con.close()


def sending_after_kill(db):
    """The attempts a kill left `sending` (the daemon is dead while this reads)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {row[0] for row in con.execute("SELECT id FROM attempts WHERE state = 'sending'")}
    finally:
        con.close()


def in_doubt_per_kill(attempts, left_sending):
    """How many attempts each kill put in doubt as interrupted mid-send: each is counted against the
    last kill that left it `sending` (a daemon killed before its recovery committed leaves the same
    ones to the next kill). Returns (counts per kill, attempts in doubt no kill left `sending`)."""
    interrupted = {a[0] for a in attempts if a[5] == "in_doubt" and a[6] == "interrupted_mid_send"}
    counts = [0] * len(left_sending)
    orphans = set(interrupted)
    for attempt in interrupted:
        kills = [k for k, ids in enumerate(left_sending) if attempt in ids]
        if kills:
            counts[kills[-1]] += 1
            orphans.discard(attempt)
    return counts, orphans


def received_emails(maildir):
    out = []
    new = os.path.join(maildir, "new")
    for name in sorted(os.listdir(new)):
        with open(os.path.join(new, name), "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        rcpt = re.search(r"<(c\d+)@example\.com>", msg["Delivered-To"] or "")
        mid = re.search(r"<(att_[^@>]+)@lembra>", msg["Message-ID"] or "")
        out.append({"customer": rcpt.group(1) if rcpt else None, "attempt": mid.group(1) if mid else None, "file": name})
    return out


def received_webhooks(record):
    out = []
    with open(record) as f:
        for line in f:
            r = json.loads(line)
            body = json.loads(base64.b64decode(r["body"]))
            if body.get("type") == "lembra.ping":
                continue  # the daemon's channel check at start-up: not a reminder
            out.append({"id": r["id"], "status": r["status"], "customer": body["customer"]["id"], "step": body["step"],
                        "debts": [d["id"] for d in body["debts"]]})
    return out


def status_counts(text):
    m = re.search(r"^Attempts: (.*)$", text, re.M)
    if not m:
        raise CampaignError(f"unexpected `lembra status` output:\n{text}")
    return {k: int(v) for k, v in (part.rsplit(" ", 1) for part in m.group(1).split(", "))}


def verify(lembra, servers, args, attempts, left_sending):
    """Checks the ledger's `attempts` (rows as `ledger_attempts` reads them, the daemons stopped)
    against the servers; returns (violations, figures)."""
    violations = []
    mails = received_emails(servers.maildir)
    hooks = received_webhooks(servers.record)
    customers = {f"c{i:05d}" for i in range(args.customers)}
    by_id = {a[0]: a for a in attempts}

    # (a) duplicates at the servers.
    per_customer = collections.Counter(m["customer"] for m in mails)
    for c, n in sorted(per_customer.items()):
        if n > 1:
            violations.append(f"DUPLICATE e-mail: customer {c} received {n} messages for {STEPS['email']}")
    for m in mails:
        a = by_id.get(m["attempt"])
        if m["customer"] not in customers or a is None or a[1] != m["customer"] or a[3] != "email":
            violations.append(f"unexplained e-mail {m['file']}: customer {m['customer']} attempt {m['attempt']}")
    ids_per_step = collections.defaultdict(set)
    for h in hooks:
        for debt in h["debts"]:
            ids_per_step[(debt, h["step"])].add(h["id"])
        a = by_id.get(h["id"])
        if a is None or a[1] != h["customer"] or a[3] != "sms":
            violations.append(f"unexplained webhook {h['id']} for customer {h['customer']}")
    for (debt, step), ids in sorted(ids_per_step.items()):
        if len(ids) > 1:
            violations.append(f"DUPLICATE webhook: {debt} {step} arrived under {len(ids)} distinct webhook-ids {sorted(ids)}")

    # (b) every reminder due was delivered or is recorded in_doubt / skipped / dead with a reason.
    ledger = {}  # (debt, channel) -> [attempt rows]
    for a in attempts:
        ledger.setdefault((a[2], a[3]), []).append(a)
    mailed = {m["customer"] for m in mails}
    accepted_ids = {h["id"] for h in hooks if 200 <= h["status"] < 300}
    accepted = {h["customer"] for h in hooks if 200 <= h["status"] < 300}
    undelivered = collections.Counter()
    explain = set()
    unaccounted = 0  # due steps neither delivered nor recorded with a reason
    for c in sorted(customers):
        debt = "d" + c[1:]
        for channel, got in (("email", mailed), ("sms", accepted)):
            rows = ledger.get((debt, channel), [])
            if len(rows) != 1 or rows[0][4] != STEPS[channel]:
                unaccounted += 1
                violations.append(f"{debt} {channel}: expected one attempt for {STEPS[channel]}, ledger has {rows}")
                continue
            state, reason = rows[0][5], rows[0][6]
            if state in PENDING:
                unaccounted += 1
                violations.append(f"{debt} {channel}: still {state} at the end")
            elif c not in got:
                if state in ("in_doubt", "skipped", "dead") and reason:
                    undelivered[state] += 1
                    explain.add(c)
                else:
                    unaccounted += 1
                    violations.append(f"{debt} {channel}: not delivered, recorded {state} reason={reason!r}")

    # ... and `lembra history` tells the operator the same, with the reason: every one of them.
    for c in sorted(explain):
        r = lembra.run("history", c)
        for a in (a for a in attempts if a[1] == c and a[5] in ("in_doubt", "skipped", "dead")):
            line = next((l for l in r.stdout.splitlines() if f"attempt={a[0]} " in l), "")
            if r.returncode != 0 or f"state={a[5]}" not in line or f"reason={a[6]}" not in line:
                unaccounted += 1
                violations.append(f"`lembra history {c}` does not show {a[0]} {a[5]} with its reason:\n{r.stdout}{r.stderr}")

    # (d) at most one e-mail per open connection in doubt per kill.
    per_kill, orphans = in_doubt_per_kill(attempts, left_sending)
    for k, n in enumerate(per_kill):
        if n > args.smtp_connections:
            violations.append(f"kill {k + 1} left {n} attempts in doubt, more than the {args.smtp_connections} SMTP connections")
    for a in sorted(orphans):
        violations.append(f"{a} is in doubt as interrupted, but no kill left it sending")

    # (c) the ledger's `sent` is what the servers accepted.
    sent = {ch: {a[0] for a in attempts if a[3] == ch and a[5] == "sent"} for ch in STEPS}
    in_doubt = {a[0] for a in attempts if a[5] == "in_doubt"}
    mail_ids = {m["attempt"] for m in mails}
    for missing in sorted(sent["email"] - mail_ids):
        violations.append(f"ledger says e-mail {missing} sent, the SMTP server never received it")
    for extra in sorted(mail_ids - sent["email"] - in_doubt):
        violations.append(f"SMTP server received {extra}, which the ledger records as {by_id.get(extra, ('?',) * 8)[5]}")
    if sent["sms"] != accepted_ids:
        violations.append(f"webhooks: ledger sent {len(sent['sms'])}, receiver accepted {len(accepted_ids)} distinct ids; "
                          f"sent-not-accepted {sorted(sent['sms'] - accepted_ids)[:5]}, accepted-not-sent "
                          f"{[(i, by_id.get(i, ('?',) * 8)[5]) for i in sorted(accepted_ids - sent['sms'])[:5]]}")
    status = lembra.run("status")
    counts = status_counts(status.stdout)
    if counts.get("sent") != len(sent["email"]) + len(sent["sms"]):
        violations.append(f"`lembra status` says sent {counts.get('sent')}, the ledger rows say {len(sent['email']) + len(sent['sms'])}")
    for state in PENDING:
        if counts.get(state):
            violations.append(f"`lembra status` still shows {state} {counts[state]}")

    figures = {
        "e-mails received": len(mails), "webhook requests": len(hooks),
        "webhook ids accepted": len(accepted_ids),
        "delivered e-mail": len(mailed & customers), "delivered sms": len(accepted & customers),
        "in doubt": counts.get("in_doubt", 0), "dead": counts.get("dead", 0), "skipped": counts.get("skipped", 0),
        "undelivered by state": dict(undelivered),
        "retried attempts": sum(1 for a in attempts if a[7] > 1),
        "webhook re-deliveries (same id)": len(hooks) - len({h["id"] for h in hooks}),
        "duplicates": sum(1 for v in violations if v.startswith("DUPLICATE")),
        "in doubt per kill": f"most {max(per_kill, default=0)} (limit {args.smtp_connections}, the SMTP connections; "
                             f"{sum(per_kill)} over {len(per_kill)} kills)",
        "due steps unaccounted": unaccounted,
    }
    return violations, figures


def pending(lembra):
    r = lembra.run("status")
    if r.returncode != 0:
        return None
    counts = status_counts(r.stdout)
    return sum(counts.get(s, 0) for s in PENDING)


def campaign(args, procs, tmp):
    rng_kills = random.Random(args.seed)
    rng_faults = random.Random(args.seed * 7919 + 1)
    secret = "whsec_" + base64.b64encode(random.Random(args.seed).randbytes(24)).decode()
    # Slow the servers down a little, so that sending lasts about as long as the kills do.
    delay = round(min(0.05, args.kills * 1.5 / max(args.customers, 1)), 4)
    servers = Servers(procs, tmp, secret, delay)
    config, customers, debts = write_setup(tmp, args, servers.smtp_port, servers.webhook_port, secret)
    lembra = Lembra(args.binary, config, tmp, procs)
    for step in (("check-config",), ("import", "customers", customers), ("import", "debts", debts)):
        r = lembra.run(*step)
        if r.returncode != 0:
            raise CampaignError(f"lembra {' '.join(step)} failed: {r.stdout}{r.stderr}")
    print(f"campaign: seed={args.seed} customers={args.customers} kills={args.kills} dir={tmp}", flush=True)

    faults = FaultTimeline(servers, rng_faults, args.smtp_timeout)
    faults.start()
    kinds = collections.Counter()
    left_sending = []  # per kill, the attempts it left `sending`
    started = time.monotonic()
    for k in range(args.kills):
        daemon = lembra.start_daemon()
        kind = rng_kills.choice(["early", "mid", "after_mail", "after_webhook"])
        if kind == "early":  # start-up, recovery, planning and the claim transaction
            time.sleep(rng_kills.uniform(0.0, 0.4))
        elif kind == "mid":
            time.sleep(rng_kills.uniform(0.4, 3.0))
        else:  # right after a message arrived: the daemon is about to record the batch
            count = servers.mail_count if kind == "after_mail" else servers.webhook_count
            before, more = count(), rng_kills.randint(1, 24)
            deadline = time.monotonic() + 4
            while count() < before + more and time.monotonic() < deadline and daemon.poll() is None:
                time.sleep(0.005)
        if daemon.poll() is not None:
            raise CampaignError(f"the daemon exited by itself with {daemon.returncode}; see {tmp}/daemon-{lembra.starts:03d}.err")
        procs.kill(daemon)
        kinds[kind] += 1
        left_sending.append(sending_after_kill(os.path.join(tmp, "lembra.sqlite")))

    # A daemon that is not killed any more, while the faults finish their first full round; then
    # faults off, and it finishes everything (retries, claimed attempts left by the kills).
    daemon = lembra.start_daemon()
    log = os.path.join(tmp, f"daemon-{lembra.starts:03d}.err")
    try:
        faults.round_done.wait(timeout=60)
        faults.stop()
        # SIGTERM only once its handlers are installed (it logs event=started after that).
        wait_for(lambda: "event=started" in open(log).read(), 20, "the daemon to start")
        wait_for(lambda: pending(lembra) == 0, args.drain_timeout, "the ledger to have nothing pending", interval=0.5)
    finally:
        code = procs.kill(daemon, signal.SIGTERM)
    if code != 0:
        raise CampaignError(f"the daemon stopped with {code} after SIGTERM")
    elapsed = time.monotonic() - started

    violations, figures = verify(lembra, servers, args, ledger_attempts(os.path.join(tmp, "lembra.sqlite")), left_sending)
    print("\n== Lembra fault campaign ==")
    print(f"seed {args.seed}, {args.customers} customers x 2 channels, {elapsed:.0f}s of faults and kills")
    print(f"kills done        {sum(kinds.values())} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}); daemon starts {lembra.starts}")
    print(f"faults injected   {sum(faults.injected.values())} ({', '.join(f'{k} {v}' for k, v in sorted(faults.injected.items()))}); "
          f"SMTP server starts {servers.smtp_starts}")
    for name, value in figures.items():
        print(f"{name:<18}{value}" if len(name) < 18 else f"{name} {value}")
    if violations:
        print(f"\nFAILED: {len(violations)} violations")
        for v in violations[:50]:
            print("  " + v)
        return 1
    print("\nOK: no duplicates; at most one e-mail per connection in doubt per kill; every due reminder delivered or "
          "recorded with a reason; ledger matches the servers")
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--kills", type=int)
    p.add_argument("--customers", type=int)
    p.add_argument("--quick", action="store_true", help="CI size: ~10 kills, ~300 customers, well under 3 minutes")
    p.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/lembra"))
    p.add_argument("--keep", action="store_true", help="keep the temp dir (logs, maildir, ledger) for inspection")
    args = p.parse_args()
    args.kills = args.kills if args.kills is not None else (10 if args.quick else 30)
    args.customers = args.customers if args.customers is not None else (300 if args.quick else 2000)
    args.smtp_timeout = 2
    args.smtp_connections = 4
    args.drain_timeout = 120 if args.quick else 300
    if not os.access(args.binary, os.X_OK):
        print(f"campaign: {args.binary} is missing: run `swift build` first", file=sys.stderr)
        return 2
    if not os.access(PYTHON, os.X_OK):
        print("campaign: .venv is missing: run scripts/setup.sh first", file=sys.stderr)
        return 2

    procs = Processes()
    tmp = tempfile.mkdtemp(prefix="lembra-faults-")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(2))
    code = 2
    try:
        code = campaign(args, procs, tmp)
    except CampaignError as e:
        print(f"campaign: could not run: {e}", file=sys.stderr)
    finally:
        procs.kill_all()
        if args.keep or code != 0:
            print(f"campaign: logs, maildir and ledger kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
