#!/usr/bin/env bash
# Checks the shipped unit: `systemd-analyze verify` must print nothing on stderr (it exits 0 on
# unknown keys), and `systemd-analyze security` must score it 2.0 or better.
set -euo pipefail
cd "$(dirname "$0")/.."
unit=systemd/lembra.service
if ! command -v systemd-analyze >/dev/null; then echo "check-systemd: systemd-analyze not found" >&2; exit 1; fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# verify wants the ExecStart binaries to exist: point them at a stand-in inside the temp dir.
mkdir -p "$work/bin"; printf '#!/bin/sh\n' > "$work/bin/lembra"; chmod +x "$work/bin/lembra"
sed "s#/usr/local/bin/lembra#$work/bin/lembra#g" "$unit" > "$work/lembra.service"
systemd-analyze verify "$work/lembra.service" 2> "$work/verify.err" >/dev/null || true
if [[ -s $work/verify.err ]]; then echo "check-systemd: systemd-analyze verify complained:" >&2; cat "$work/verify.err" >&2; exit 1; fi
score=$(systemd-analyze security --offline=true "$work/lembra.service" 2>/dev/null | grep 'Overall exposure level' | grep -oE '[0-9]+\.[0-9]+' | tail -1)
echo "check-systemd: verify clean, exposure $score"
awk -v s="$score" 'BEGIN { exit !(s != "" && s + 0 <= 2.0) }' || { echo "check-systemd: exposure $score is above 2.0" >&2; exit 1; }
