#!/usr/bin/env bash
# Planning cost (part of `make bench`) over 10k / 100k / 1M stored debts (1% due), in a release build (the flags of `make release`).
# Each ledger is generated once (cached in .build-bench/), then copied fresh for every measured
# run, because a planning pass moves the due debts' next checks forward. Prints one line per run
# and, per size, the median time and the highest peak RSS; targets: 1M debts planned in under
# 0.5 s and 150 MB peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${BENCH_SIZES:-"10000 100000 1000000"}
runs=${BENCH_RUNS:-3}
# The release build with `make release`'s flags; its output only when it fails (swift build
# reports compile errors on stdout).
log=$(mktemp); trap 'rm -f "$log"' EXIT
make --no-print-directory release >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
bin=.build/release/lembra-bench
mkdir -p .build-bench
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
for n in $sizes; do
  totals=() rss=()
  db=.build-bench/plan-$n.sqlite
  [[ -f $db ]] || "$bin" generate "$db" "$n" 0.01
  for r in $(seq "$runs"); do
    cp "$db" .build-bench/run.sqlite; rm -f .build-bench/run.sqlite-wal .build-bench/run.sqlite-shm
    line="debts=$n run=$r $("$bin" plan .build-bench/run.sqlite)"
    echo "$line"
    totals+=("$(sed -n 's/.* total=\([0-9.]*\)s.*/\1/p' <<<"$line")"); rss+=("$(sed -n 's/.* peak_rss=\([0-9.]*\)MB.*/\1/p' <<<"$line")")
  done
  echo "median: debts=$n total $(printf '%s\n' "${totals[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }') s," \
    "peak RSS up to $(printf '%s\n' "${rss[@]}" | sort -n | tail -1) MB$([[ $n == 1000000 ]] && echo " (target < 0.5 s, < 150 MB)")"
done
rm -f .build-bench/run.sqlite*
