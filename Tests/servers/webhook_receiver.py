#!/usr/bin/env python3
"""A real HTTP webhook receiver for Lembra's tests.

Every request is verified with the Standard Webhooks reference library; a bad or missing
signature gets 401 and is not recorded. Each verified request is appended as one JSON line to
--record FILE: id, timestamp, headers (lowercase names), body (base64, to compare bytes exactly),
peer (client ip:port, to tell whether requests shared a connection), in_flight (requests being
handled when this one arrived, itself included: the concurrency the client achieved), arrived
(monotonic seconds) and the status answered. Prints "READY <port>" once it listens.
Fault modes make it answer like a failing receiver. Logs go to stderr.
--control FILE switches faults at run time: the file is re-read on every request and holds a
small JSON object, {"mode": "ok"} (or a missing file: behave as the flags say), {"mode": "500"},
{"mode": "429", "retry_after": "2"}, or {"mode": "stall", "seconds": 5} (wait, then answer 503:
a gateway that hangs and gives up; the request is recorded with that 503).
"""
import argparse
import base64
import json
import os
import signal
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook

lock = threading.Lock()
state = {"in_flight": 0, "verified": 0}

# Error bodies are long, multi-line and full of control characters, so the client's excerpt
# (one line, at most 200 characters) is really exercised.
ERROR_BODY = ("receiver error\r\n\tline two\x01\x07 with controls\n" + "detail " * 60).encode()


def read_control():
    """The fault mode the --control file asks for now; {} when there is none (or it is unreadable)."""
    if not args.control or not os.path.exists(args.control):
        return {}
    try:
        with open(args.control) as f:
            control = json.load(f)
        return control if isinstance(control, dict) else {}
    except (OSError, ValueError):
        return {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so connection reuse can be observed

    def do_POST(self):
        with lock:
            state["in_flight"] += 1
            in_flight = state["in_flight"]
        try:
            self.handle_webhook(in_flight)
        finally:
            with lock:
                state["in_flight"] -= 1

    def handle_webhook(self, in_flight):
        arrived = time.monotonic()
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        headers = {k.lower(): v for k, v in self.headers.items()}
        if args.delay:
            time.sleep(args.delay)
        control = read_control()
        mode = str(control.get("mode", "ok"))
        if mode == "stall":
            time.sleep(float(control.get("seconds", 5)))
        try:
            Webhook(args.secret).verify(body, headers)
        except Exception as error:  # noqa: BLE001 - any verification failure is a 401
            self.log_message("rejected: %s", error)
            self.answer(401, b'{"error": "invalid signature"}')
            return
        with lock:
            n = state["verified"]
            state["verified"] += 1
        stall = args.stall if not args.stall_nth else args.stall if n + 1 == args.stall_nth else 0
        status = 200
        if args.fail_first and n < args.fail_first:
            status = args.fail_status
        elif args.status:
            status = args.status
        if mode in ("500", "429"):
            status = int(mode)
        elif mode == "stall":
            status = 503
        retry_after = control.get("retry_after", args.retry_after)
        with lock, open(args.record, "a") as f:
            f.write(json.dumps({
                "id": headers.get("webhook-id"), "timestamp": headers.get("webhook-timestamp"),
                "headers": headers, "body": base64.b64encode(body).decode(),
                "peer": "%s:%s" % self.client_address[:2], "in_flight": in_flight,
                "arrived": arrived, "status": 0 if args.drop else status,
            }) + "\n")
        if args.drop:  # read and recorded, never answered: the client sees an empty reply
            self.close_connection = True
            return
        if stall:
            if args.stall_nth:
                self.log_message("stalling request %d", n + 1)
            time.sleep(stall)
        if status == 200:
            self.answer(200, b'{"ok": true}')
        elif args.error_body is not None:
            self.answer(status, args.error_body.encode(), retry_after)
        else:
            echo = ("signature was " + headers.get("webhook-signature", "")).encode() + b"\n"
            self.answer(status, echo + ERROR_BODY, retry_after)

    def answer(self, status, body, retry_after=None):
        self.send_response(status)
        if status == 429 and retry_after:
            self.send_header("Retry-After", str(retry_after))
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def parse_arguments():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, default=0, help="0 picks a free port")
    p.add_argument("--secret", required=True, help="whsec_... secret to verify with")
    p.add_argument("--record", required=True, help="append each verified request here as a JSON line")
    p.add_argument("--status", type=int, help="answer every verified request with this status (500, 429, 410, ...)")
    p.add_argument("--retry-after", help="Retry-After value sent with 429 (seconds or an HTTP-date)")
    p.add_argument("--stall", type=float, default=0, help="seconds to wait before answering")
    p.add_argument("--stall-nth", type=int, default=0, metavar="N",
                   help='stall (--stall seconds) on the Nth verified request only, counting from 1; logs "stalling request N"')
    p.add_argument("--drop", action="store_true", help="record each verified request, then close the connection without answering")
    p.add_argument("--fail-first", type=int, default=0, help="answer --fail-status to the first N verified requests")
    p.add_argument("--fail-status", type=int, default=500, help="the status --fail-first answers with (default 500)")
    p.add_argument("--delay", type=float, default=0, help="seconds each request takes (to observe concurrency)")
    p.add_argument("--error-body", help="answer error statuses with this body (UTF-8) instead of the default echo")
    p.add_argument("--control", help='JSON file re-read on every request: {"mode": "ok|500|429|stall"}')
    p.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    p.add_argument("--tls-key")
    return p.parse_args()


if __name__ == "__main__":
    # A parent that spawns us from a thread with SIGTERM blocked (Swift's Dispatch workers do)
    # would make us unkillable by SIGTERM: unblock it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    args = parse_arguments()
    open(args.record, "a").close()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    print(f"READY {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)
