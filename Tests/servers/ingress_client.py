#!/usr/bin/env python3
"""A real HTTP client for Lembra's payments ingress, for the end-to-end tests.

POSTs the body read from stdin to URL and prints one line, "<status> <response body>". With
--secret-file the request is signed by the Standard Webhooks reference library (webhook-id,
webhook-timestamp, webhook-signature), with the given --id and --timestamp (unix seconds; the
daemon's clock may be pinned by --now, so the test passes its time); --tamper changes the body
after signing. --bearer sends `authorization: Bearer <token>`. --get sends a GET without a body.
--pause-until FILE:TEXT first GETs /healthz on the same connection, then sends the headers and
half the body, creates FILE.half-sent, waits until FILE contains TEXT (a line of the daemon's
log), then sends the rest: a request in flight then.
An https:// URL is verified against --cafile; --cert and --key present a client certificate.
A request that fails (a refused TLS handshake, a closed connection) prints "000 <error type> ...".
"""
import argparse
import datetime
import http.client
import ssl
import sys
import time
import urllib.parse

from standardwebhooks.webhooks import Webhook

p = argparse.ArgumentParser()
p.add_argument("url")
p.add_argument("--secret-file")
p.add_argument("--id", default="msg_test")
p.add_argument("--timestamp", type=int)
p.add_argument("--tamper", action="store_true")
p.add_argument("--bearer")
p.add_argument("--get", action="store_true")
p.add_argument("--pause-until")
p.add_argument("--cafile")
p.add_argument("--cert")
p.add_argument("--key")
args = p.parse_args()

body = b"" if args.get else sys.stdin.buffer.read()
headers = {"content-type": "application/json"}
if args.secret_file:
    secret = open(args.secret_file).read().strip()
    sent = datetime.datetime.fromtimestamp(args.timestamp, tz=datetime.timezone.utc)
    headers["webhook-id"] = args.id
    headers["webhook-timestamp"] = str(args.timestamp)
    headers["webhook-signature"] = Webhook(secret).sign(args.id, sent, body.decode())
    if args.tamper:
        body = body.replace(b"0", b"1", 1)
if args.bearer:
    headers["authorization"] = "Bearer " + args.bearer

url = urllib.parse.urlsplit(args.url)
if url.scheme == "https":
    context = ssl.create_default_context(cafile=args.cafile)
    if args.cert:
        context.load_cert_chain(args.cert, args.key)
    conn = http.client.HTTPSConnection(url.hostname, url.port, timeout=30, context=context)
else:
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
try:
    if args.pause_until:
        path, text = args.pause_until.split(":", 1)
        # First a request on the same connection, answered: the server has accepted it, so the
        # stop finds this connection open, not still waiting in the listening socket's backlog.
        conn.request("GET", "/healthz")
        conn.getresponse().read()
        conn.putrequest("POST", url.path)
        for name, value in {**headers, "content-length": str(len(body))}.items():
            conn.putheader(name, value)
        conn.endheaders()
        conn.send(body[: len(body) // 2])
        open(path + ".half-sent", "w").close()
        deadline = time.monotonic() + 60
        while text not in open(path).read() and time.monotonic() < deadline:
            time.sleep(0.02)
        conn.send(body[len(body) // 2 :])
    else:
        conn.request("GET" if args.get else "POST", url.path, body=None if args.get else body, headers=headers)
    response = conn.getresponse()
    print(response.status, response.read().decode().strip())
except ssl.SSLError as e:
    # A refused handshake: under TLS 1.3 the server's alert may only arrive with the answer.
    print("000", type(e).__name__, e.reason)
except (ConnectionError, http.client.HTTPException) as e:
    # A server that refuses a large body may close the connection before reading it all.
    print("000", type(e).__name__)
