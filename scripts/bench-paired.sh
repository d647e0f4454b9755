#!/usr/bin/env bash
# Compares two builds of lembra on the same whole tick, in paired rounds: each round runs both
# (the order alternating from round to round) on fresh copies of the same ledger, against the
# same server, and the figure is the median of the per-round ratios NEW/OLD. This machine's
# speed drifts by several percent within minutes, so medians of two separate series can differ
# by more than the change being measured; a ratio taken within one round mostly cancels that.
#
#   scripts/bench-paired.sh WORK KIND ROUNDS OLD NEW
#
# WORK is a directory kept by `BENCH_KEEP=1 scripts/bench-delivery.sh` (its ledgers, configs and
# nginx set-up); KIND is `mail` or `hook`; OLD and NEW are two `lembra` binaries. Prints each
# round's wall times (ms) and ratio, then the medians. A run that does not send every message
# stops the comparison.
set -euo pipefail

if [[ $# -ne 5 ]]; then
  echo "usage: $0 WORK mail|hook ROUNDS OLD NEW" >&2
  exit 64
fi
work=$1 kind=$2 rounds=$3 old=$4 new=$5
dir=$work/$kind
now=2026-11-18T10:00:00-03:00 # the instant bench-delivery.sh pins
[[ $kind == mail || $kind == hook ]] || { echo "KIND must be mail or hook, not '$kind'" >&2; exit 64; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a number of rounds, not '$rounds'" >&2; exit 64; }
for f in pristine.sqlite lembra.yaml debts.csv; do
  [[ -f $dir/$f ]] || { echo "$dir/$f is missing: keep a work directory with BENCH_KEEP=1 scripts/bench-delivery.sh" >&2; exit 66; }
done
expected=$(($(wc -l <"$dir/debts.csv") - 1))

server=
cleanup() { if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; fi; wait 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM
# The server on the port the kept run chose, as bench-delivery.sh starts it. The port may have
# been taken since: then nothing of ours listens there, and the comparison stops.
if [[ $kind == mail ]]; then
  port=$(sed -n 's|.*smtp://127.0.0.1:\([0-9]*\).*|\1|p' "$dir/lembra.yaml")
  smtp-sink -u nobody -m 512 "127.0.0.1:$port" 256 >"$dir/paired-server.log" 2>&1 </dev/null &
else
  port=$(sed -n 's|.*listen 127.0.0.1:\([0-9]*\);.*|\1|p' "$work/nginx/nginx.conf")
  nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" >"$dir/paired-server.log" 2>&1 &
fi
server=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done
kill -0 "$server" 2>/dev/null || { echo "the server did not start on port $port:" >&2; cat "$dir/paired-server.log" >&2; exit 1; }

# One tick of `bin` on a fresh copy of the ledger: its wall time in ms, to a tenth.
tick() {
  rm -f "$dir"/lembra.sqlite*
  cp "$dir/pristine.sqlite" "$dir/lembra.sqlite"
  local start end
  start=$(date +%s%N)
  "$1" run --once --config "$dir/lembra.yaml" --now "$now" >"$dir/paired.out" 2>&1 \
    || { echo "$1 failed:" >&2; tail -3 "$dir/paired.out" >&2; exit 1; }
  end=$(date +%s%N)
  grep -q "sent=$expected " "$dir/paired.out" || { echo "$1 did not send all $expected messages:" >&2; tail -3 "$dir/paired.out" >&2; exit 1; }
  awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e6 }'
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
olds=() news=() ratios=()
for r in $(seq "$rounds"); do
  if ((r % 2)); then a=$(tick "$old"); b=$(tick "$new"); else b=$(tick "$new"); a=$(tick "$old"); fi
  olds+=("$a") news+=("$b") ratios+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b / a }')")
  echo "round=$r old=${a}ms new=${b}ms new/old=${ratios[-1]}"
done
echo "median: old $(echo "${olds[*]}" | median) ms, new $(echo "${news[*]}" | median) ms, new/old per round $(echo "${ratios[*]}" | median) ($rounds rounds, $kind)"
