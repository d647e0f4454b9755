#!/usr/bin/env python3
"""Decodes Pix BR Codes, one per line on stdin, with starkbank-brcode (an implementation Lembra
shares no code with) and prints a JSON list, one object per code:

  {"code": ..., "crc_valid": bool, "crc_expected": "1D3D", "error": null or the decoder's error,
   "fields": {"00": "01", "26": {"00": "br.gov.bcb.pix", "01": key}, ...},
   "gui": ..., "key": ..., "amount": "123.45" or null, "name": ..., "city": ..., "txid": ...}

crc_valid needs two independent checks to agree: Python's binascii.crc_hqx(data, 0xFFFF)
(CRC-16/CCITT-FALSE) over everything up to and including "6304", and starkbank's own decoder,
which also rejects wrong TLV lengths. Run it with .venv-brcode/bin/python (scripts/brcode-venv.sh)."""
import binascii
import json
import sys

from brcode.utils.brcodeId import jsonFromBrcode


def check(code):
    body, crc = code[:-4], code[-4:]
    expected = "%04X" % binascii.crc_hqx(body.encode("utf-8"), 0xFFFF)
    result = {"code": code, "crc_expected": expected, "error": None, "fields": None}
    try:
        result["fields"] = jsonFromBrcode(code)
    except Exception as e:  # the decoder raises ValueError (CRC, length) or others on garbage
        result["error"] = "%s: %s" % (type(e).__name__, e)
    fields = result["fields"] or {}
    account = fields.get("26") if isinstance(fields.get("26"), dict) else {}
    extra = fields.get("62") if isinstance(fields.get("62"), dict) else {}
    result.update({
        "crc_valid": body.endswith("6304") and crc == expected and result["error"] is None,
        "gui": account.get("00"), "key": account.get("01"), "amount": fields.get("54"),
        "name": fields.get("59"), "city": fields.get("60"), "txid": extra.get("05"),
    })
    return result


json.dump([check(line.rstrip("\r\n")) for line in sys.stdin if line.strip()], sys.stdout)
