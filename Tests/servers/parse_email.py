#!/usr/bin/env python3
"""Parses one RFC 5322 message from stdin with Python's email package (policy.default) and prints
JSON: decoded headers, the decoded text body (LF line endings) and any parser defects.
It is the independent check of what Lembra renders."""
import email
import json
import sys
from email import policy

msg = email.message_from_bytes(sys.stdin.buffer.read(), policy=policy.default)
defects = [type(d).__name__ for d in msg.defects]
headers = {}
for name, value in msg.items():
    headers.setdefault(name.lower(), str(value))
    defects += [type(d).__name__ for d in getattr(value, "defects", [])]
body = msg.get_content() if not msg.is_multipart() else ""
json.dump({"headers": headers, "body": body.replace("\r\n", "\n"),
           "content_type": msg.get_content_type(), "charset": msg.get_content_charset() or "",
           "defects": defects}, sys.stdout)
