#!/usr/bin/env python3
"""A plain HTTP client for Lembra's payment promise page, for the end-to-end tests.

`get URL` fetches the page (query included); `post URL` sends the form fields read from stdin
(`name=value&...`, already encoded) as application/x-www-form-urlencoded, as a browser does.
Prints "<status>" on the first line and the page after it.
"""
import http.client
import sys
import urllib.parse

method, target = sys.argv[1], sys.argv[2]
url = urllib.parse.urlsplit(target)
path = url.path + ("?" + url.query if url.query else "")
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
if method == "post":
    conn.request("POST", path, body=sys.stdin.buffer.read(), headers={"content-type": "application/x-www-form-urlencoded"})
else:
    conn.request("GET", path)
response = conn.getresponse()
print(response.status)
print(response.read().decode())
