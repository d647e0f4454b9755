#!/usr/bin/env bash
# The ledger's CPU per message (part of `make bench`), against its ceilings, in a release build (the flags of `make release`):
#   lembra-bench ledger N BYTES BATCH   the tick's ledger work in Swift and GRDB (load, claim,
#                                       mark and record; its `plan` phase is left out, as it is
#                                       not the ledger and the C programs don't plan)
#   ledger_replay replay                the same statements in C against libsqlite3
#                                       (bench/ceiling/ledger_replay.c)
#   ledger_replay lean                  the same durable records in the leanest layout we justify
# for e-mail (735-byte payloads, batches of 8) and webhooks (1,113 bytes, batches of 128), each
# on a fresh copy of the same generated ledger, alternating, BENCH_RUNS times (default 3); prints
# the raw runs, the medians and the ratios (targets: Lembra <= 1.3x the replay, the replay <= 1.2x
# the lean floor). First it checks that the replay issues Lembra's statements, in order
# (bench/ceiling/sql_trace.c), so the ratio compares the same work.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${BENCH_MESSAGES:-5000}
runs=${BENCH_RUNS:-3}
log=$(mktemp); work=$(mktemp -d); trap 'rm -rf "$log" "$work"' EXIT
make --no-print-directory release >"$log" 2>&1 || { cat "$log" >&2; exit 1; } # `make release`'s flags
bin=.build/release/lembra-bench
cc -O2 -o "$work/ledger_replay" bench/ceiling/ledger_replay.c -lsqlite3
cc -O2 -shared -fPIC -o "$work/sql_trace.so" bench/ceiling/sql_trace.c -ldl

median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
field() { sed -n "s/.* $1=\([0-9.]*\)us.*/\1/p"; }
fresh() { rm -f "$work"/run.sqlite*; cp "$1" "$work/run.sqlite"; }

# The statements each runs after the due customers' ids are read, with ids, payloads and times
# replaced by placeholders (Lembra's trace also holds the ledger's generation before that).
statements() {
  python3 - "$1" <<'PY'
import re, sys
lines, cur = [], None
for line in open(sys.argv[1]):
    if line.startswith("STEP "):
        if cur is not None: lines.append(cur)
        cur = line[5:].strip()
    elif cur is not None:
        cur += " " + line.strip()
if cur is not None: lines.append(cur)
out = []
for s in lines:
    s = re.sub(r"'att_[a-z0-9]+'", "ATT", s); s = re.sub(r"x'[0-9a-f]*'", "BLOB", s)
    s = re.sub(r"'[cd][0-9]+'", "ID", s); s = re.sub(r"[0-9]+\.[0-9]+", "NUM", s)
    s = re.sub(r"IN \((ID,?)+\)", "IN (IDS)", s); s = re.sub(r"\s+", " ", s)
    if s.startswith("PRAGMA") or s == "(null)": continue
    out.append(s)
first = max(i for i, s in enumerate(out) if s.startswith("SELECT DISTINCT customer_id FROM debts") and "LIMIT 10000" in s)
print("\n".join(out[first - 1:]))
PY
}
"$bin" generate "$work/check.sqlite" 64 1 >/dev/null
SQL_TRACE=$work/lembra.trace LD_PRELOAD=$work/sql_trace.so "$bin" ledger 64 735 8 >/dev/null
fresh "$work/check.sqlite"
SQL_TRACE=$work/replay.trace LD_PRELOAD=$work/sql_trace.so "$work/ledger_replay" replay "$work/run.sqlite" 64 735 8 >/dev/null
statements "$work/lembra.trace" >"$work/lembra.sql"; statements "$work/replay.trace" >"$work/replay.sql"
if ! diff -q "$work/lembra.sql" "$work/replay.sql" >/dev/null; then
  echo "ledger_replay no longer issues Lembra's statements (64 customers; < Lembra, > replay):" >&2
  diff "$work/lembra.sql" "$work/replay.sql" | head -20 >&2
  exit 1
fi
echo "replay checked: the same $(wc -l <"$work/lembra.sql") statements as lembra-bench ledger for 64 customers, in order"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1)"
"$bin" generate "$work/gen.sqlite" "$n" 1 >/dev/null
for case in "e-mail 735 8" "webhooks 1113 128"; do
  read -r label bytes batch <<<"$case"
  echo; echo "== Ledger CPU per message, $label: $n messages, $bytes-byte payloads, batches of $batch =="
  lembra=() replay=() lean=()
  for r in $(seq "$runs"); do
    out=$("$bin" ledger "$n" "$bytes" "$batch")
    lembra+=("$(awk -v l="$(field load <<<"$out")" -v c="$(field claim <<<"$out")" -v m="$(field mark_and_record <<<"$out")" 'BEGIN { printf "%.1f", l + c + m }')")
    fresh "$work/gen.sqlite"; replay+=("$("$work/ledger_replay" replay "$work/run.sqlite" "$n" "$bytes" "$batch" | field total)")
    fresh "$work/gen.sqlite"; lean+=("$("$work/ledger_replay" lean "$work/run.sqlite" "$n" "$bytes" "$batch" | field total)")
    echo "run=$r lembra=${lembra[-1]}us ($out) replay=${replay[-1]}us lean=${lean[-1]}us"
  done
  l=$(echo "${lembra[*]}" | median); p=$(echo "${replay[*]}" | median); f=$(echo "${lean[*]}" | median)
  echo "median: lembra $l us, C replay $p us, lean floor $f us a message"
  echo "ratios: lembra/replay $(ratio "$l" "$p") (target <= 1.3), replay/lean $(ratio "$p" "$f") (target <= 1.2)"
done
