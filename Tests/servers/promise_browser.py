#!/usr/bin/env python3
"""Drives Debian's chromium, headless, through the promise page, for the end-to-end tests.

Usage: promise_browser.py URL DATE OUTDIR. Opens URL (the promise link), saves a screenshot of
the form (OUTDIR/promise-form.png), sets the date field to DATE (YYYY-MM-DD) and clicks the
form's submit button as a user would, waits for the answer page, saves OUTDIR/promise-done.png,
and prints one JSON line: the form page's lang, the date input's min and max, and the answer
page's title and text. The page itself has no JavaScript; this driver speaks the Chrome
DevTools Protocol over --remote-debugging-pipe (fds 3 and 4, NUL-separated JSON), so it needs
no WebDriver and no Python package.
"""
import base64
import json
import os
import subprocess
import sys
import tempfile
import time

url, date, outdir = sys.argv[1], sys.argv[2], sys.argv[3]
to_chrome_r, to_chrome_w = os.pipe()
from_chrome_r, from_chrome_w = os.pipe()
profile = tempfile.mkdtemp(prefix="lembra-chromium-")


def child_fds():
    os.dup2(to_chrome_r, 3)
    os.dup2(from_chrome_w, 4)


chrome = subprocess.Popen(
    ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-pipe",
     f"--user-data-dir={profile}", "--window-size=800,900", "about:blank"],
    pass_fds=(3, 4), preexec_fn=child_fds, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(to_chrome_r)
os.close(from_chrome_w)
buffered = b""
next_id = 0
events = []


def receive():
    global buffered
    while b"\0" not in buffered:
        chunk = os.read(from_chrome_r, 65536)
        if not chunk:
            raise SystemExit("chromium closed the pipe")
        buffered += chunk
    message, buffered = buffered.split(b"\0", 1)
    return json.loads(message)


def call(method, params=None, session=None):
    global next_id
    next_id += 1
    message = {"id": next_id, "method": method, "params": params or {}}
    if session:
        message["sessionId"] = session
    os.write(to_chrome_w, json.dumps(message).encode() + b"\0")
    while True:
        reply = receive()
        if reply.get("id") == next_id:
            if "error" in reply:
                raise SystemExit(f"{method}: {reply['error']}")
            return reply["result"]
        events.append(reply)


def wait_for_load(session, deadline=30):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        while events:
            if events.pop(0).get("method") == "Page.loadEventFired":
                return
        reply = receive()
        if reply.get("method") == "Page.loadEventFired":
            return
    raise SystemExit("the page did not load")


def evaluate(session, expression):
    return call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)["result"].get("value")


def screenshot(session, name):
    data = call("Page.captureScreenshot", {"format": "png"}, session)["data"]
    with open(os.path.join(outdir, name), "wb") as f:
        f.write(base64.b64decode(data))


try:
    target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    call("Page.enable", session=session)
    call("Page.navigate", {"url": url}, session)
    wait_for_load(session)
    form = evaluate(session, """JSON.stringify({lang: document.documentElement.lang,
        min: document.getElementById('date').min, max: document.getElementById('date').max,
        label: document.querySelector('label[for=date]').textContent})""")
    screenshot(session, "promise-form.png")
    evaluate(session, f"document.getElementById('date').value = '{date}'; document.querySelector('button[type=submit]').click(); true")
    wait_for_load(session)
    screenshot(session, "promise-done.png")
    done = evaluate(session, "JSON.stringify({title: document.title, text: document.body.innerText})")
    print(json.dumps({"form": json.loads(form), "done": json.loads(done)}))
finally:
    chrome.kill()
    chrome.wait()
