#!/usr/bin/env python3
"""A real SMTP server for Lembra's tests, built on aiosmtpd.

Prints "READY <port>" on stdout once it listens, then delivers every accepted message as a file
in a maildir (tmp/ then rename into new/), prefixed with Return-Path, Delivered-To and
X-Test-Peer (client ip:port, to tell whether two messages shared a connection).
Fault modes make it misbehave in the ways a real relay can. Logs go to stderr.
--control FILE switches faults at run time: the file is re-read on every command and holds a
small JSON object, {"mode": "ok"} (or a missing file: behave as the flags say), {"mode": "421"}
or {"mode": "451"} (that reply to RCPT), {"mode": "stall", "seconds": 5} (wait before answering
DATA), with an optional "delay" (seconds added before every DATA reply, to slow the server down).
"""
import argparse
import asyncio
import itertools
import json
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

counter = itertools.count()


def read_control(path):
    """The fault mode the --control file asks for now; {} when there is none (or it is unreadable)."""
    if not path:
        return {}
    try:
        with open(path) as f:
            control = json.load(f)
        return control if isinstance(control, dict) else {}
    except (OSError, ValueError):
        return {}


class Handler:
    def __init__(self, args):
        self.args = args
        self.faults_left = args.fault_count
        self.data_count = 0

    def take_fault(self):
        """True while faults remain to inject (all of them unless --fault-count was given)."""
        if self.faults_left is None:
            return True
        self.faults_left -= 1
        return self.faults_left >= 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.args.reject_rcpt:
            return "550 5.1.1 mailbox unavailable"
        mode = str(read_control(self.args.control).get("mode", "ok"))
        if mode in ("421", "451"):
            return f"{mode} {self.fault_text(mode)}"
        if self.args.reply_code and self.args.fault_step == "rcpt" and self.take_fault():
            return f"{self.args.reply_code} {self.fault_text()}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_count += 1
        control = read_control(self.args.control)
        if control.get("delay"):
            await asyncio.sleep(float(control["delay"]))
        if control.get("mode") == "stall":
            await asyncio.sleep(float(control.get("seconds", 5)))
        elif self.args.stall_nth:
            if self.data_count == self.args.stall_nth:
                print(f"stalling message {self.data_count}", file=sys.stderr, flush=True)
                await asyncio.sleep(self.args.stall)
        elif self.args.stall and self.take_fault():
            await asyncio.sleep(self.args.stall)
        elif self.args.reply_code and self.args.fault_step == "data" and self.take_fault():
            return f"{self.args.reply_code} {self.fault_text()}"
        host, port = session.peer[:2]
        trace = (f"Return-Path: <{envelope.mail_from}>\r\n"
                 f"Delivered-To: <{envelope.rcpt_tos[0]}>\r\n"
                 f"X-Test-Peer: {host}:{port}\r\n").encode()
        name = f"{os.getpid()}.{next(counter)}.eml"
        tmp = os.path.join(self.args.maildir, "tmp", name)
        with open(tmp, "wb") as f:
            f.write(trace + envelope.original_content)
        os.rename(tmp, os.path.join(self.args.maildir, "new", name))
        return "250 OK delivered"

    def fault_text(self, code=None):
        return {"421": "4.3.2 service shutting down", "451": "4.3.0 try again later",
                "550": "5.1.1 mailbox unavailable"}.get(str(code or self.args.reply_code), "fault")


class FaultySMTP(SMTP):
    """Adds --drop-in-data: accept DATA with 354, then close the connection mid-message."""

    async def smtp_DATA(self, arg):
        if self.event_handler.args.drop_in_data and self.envelope.rcpt_tos and self.event_handler.take_fault():
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            self.transport.close()
            return
        await super().smtp_DATA(arg)


def authenticator(expected):
    user, _, password = expected.partition(":")

    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
              and auth_data.password.decode() == password)
        return AuthResult(success=ok, handled=False)
    return check


async def main():
    # A parent that spawns us from a thread with SIGTERM blocked (Swift's Dispatch workers do)
    # would make us unkillable by SIGTERM: unblock it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, default=0, help="0 picks a free port")
    p.add_argument("--maildir", required=True)
    p.add_argument("--auth", metavar="USER:PASS", help="require AUTH PLAIN/LOGIN with these credentials")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--reply-code", type=int, choices=[421, 451, 550])
    p.add_argument("--fault-step", choices=["rcpt", "data"], default="rcpt")
    p.add_argument("--drop-in-data", action="store_true")
    p.add_argument("--stall", type=float, default=0, help="seconds to wait before answering DATA")
    p.add_argument("--fault-count", type=int, help="misbehave for the first N messages only")
    p.add_argument("--stall-nth", type=int, metavar="N",
                   help='stall (--stall seconds) on the Nth message only, counting from 1; logs "stalling message N"')
    p.add_argument("--reject-rcpt", action="append", default=[], metavar="ADDRESS",
                   help="answer RCPT TO this address with 550 (repeatable)")
    p.add_argument("--control", help='JSON file re-read on every command: {"mode": "ok|421|451|stall"}')
    args = p.parse_args()

    for sub in ("tmp", "new", "cur"):
        os.makedirs(os.path.join(args.maildir, sub), exist_ok=True)
    tls = None
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    handler = Handler(args)

    def factory():
        return FaultySMTP(handler, hostname="lembra-test", tls_context=tls, require_starttls=tls is not None,
                          authenticator=authenticator(args.auth) if args.auth else None,
                          auth_required=bool(args.auth), auth_require_tls=tls is not None)

    server = await asyncio.get_running_loop().create_server(factory, "127.0.0.1", args.port)
    print(f"READY {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
