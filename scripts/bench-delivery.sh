#!/usr/bin/env bash
# Delivery throughput and cold start (part of `make bench`), in a release build (the flags of `make release`):
#   e-mail   `lembra run --once` (claim, mark sending, send, record: the daemon's full tick path)
#            against Postfix's smtp-sink, compared with libcurl alone (below) and with Postfix's
#            smtp-source against the same sink at the same concurrency; target >= 0.6x libcurl alone.
#   webhooks `lembra run --once` POSTing to a local nginx, compared with libcurl alone and with
#            wrk against the same nginx with the same connections; target >= 0.35x libcurl alone.
#   ceilings the same messages through libcurl alone (bench/ceiling/curl_loop.c, no Swift) and
#            through Lembra's transports alone (`lembra-bench smtp|webhook`, no ledger, no
#            templates), so the gap to the reference tools can be split between libcurl, the
#            transports and the daemon's work around them.
#   ledger   fsyncs per message (strace), batched as the daemon does.
#   budget   the CPU a message may use at the target ratio (the 2 cores over the target rate),
#            next to what each part costs alone: the server (from /proc over the reference runs),
#            the transport alone, composing (`lembra-bench compose`), the ledger's work alone
#            (`lembra-bench ledger`), and the whole tick (user + system time).
#   start-up hyperfine of `lembra check-config` and `lembra status` on a small ledger; target < 100 ms.
# Installs what it needs from Debian (postfix for smtp-sink/smtp-source, nginx, wrk, hyperfine,
# strace), idempotently; a part whose tool can't be installed is skipped with a message.
# Environment: BENCH_MESSAGES (default 5000), BENCH_CONCURRENCY (4), BENCH_RUNS (3), BENCH_KEEP=1
# keeps the work directory (ledgers and configs, for profiling a tick by hand).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
n=${BENCH_MESSAGES:-5000}
c=${BENCH_CONCURRENCY:-4}
runs=${BENCH_RUNS:-3}
now=2026-11-18T10:00:00-03:00 # a Wednesday, inside the sending window; every debt is 1 day overdue

work=$(mktemp -d /tmp/lembra-bench.XXXXXX)
chmod 755 "$work" # nginx workers and smtp-sink drop privileges to nobody
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

summary=()
note() { summary+=("$*"); }

# --- tools -----------------------------------------------------------------------------------
updated=0
# install PACKAGE COMMAND: installs PACKAGE from Debian unless COMMAND exists; fails (return 1)
# with a message when it can't be installed.
install() {
  command -v "$2" >/dev/null 2>&1 && return 0
  if [[ $(id -u) != 0 ]]; then echo "SKIP: $2 missing and not root: apt-get install $1" >&2; return 1; fi
  if [[ $updated == 0 ]]; then apt-get update -qq >/dev/null || true; updated=1; fi
  # grep without -q: it must read to the end, or apt-cache dies of SIGPIPE and pipefail calls
  # an available package missing.
  if ! apt-cache policy "$1" 2>/dev/null | grep 'Candidate: [0-9]' >/dev/null; then
    echo "SKIP: Debian package $1 is not available here" >&2; return 1
  fi
  if [[ $1 == postfix ]]; then
    echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
    echo "postfix postfix/mailname string lembra-bench.invalid" | debconf-set-selections
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null 2>&1 || { echo "SKIP: apt-get install $1 failed" >&2; return 1; }
  command -v "$2" >/dev/null 2>&1
}
export PATH=$PATH:/usr/sbin:/sbin
have_postfix=1; install postfix smtp-sink || have_postfix=0
have_nginx=1; install nginx nginx || have_nginx=0
have_wrk=1; install wrk wrk || have_wrk=0
have_hyperfine=1; install hyperfine hyperfine || have_hyperfine=0
have_strace=1; install strace strace || have_strace=0

# The release build with `make release`'s flags; its output only when it fails (swift build
# reports compile errors on stdout).
make --no-print-directory release >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
bin=$repo/.build/release/lembra
benchbin=$repo/.build/release/lembra-bench
have_ceiling=1
cc -O2 -o "$work/curl_loop" bench/ceiling/curl_loop.c -lcurl -lpthread 2>"$work/cc.log" || { have_ceiling=0; echo "SKIP: libcurl ceiling: $(cat "$work/cc.log")" >&2; }

echo "machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "lembra: $(git rev-parse --short HEAD 2>/dev/null || echo '?'), messages=$n concurrency=$c runs=$runs"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; echo "nothing listens on $1" >&2; return 1; }
seconds() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'; }
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# per_run_ratio LEMBRA LIBCURL: " ratio=R" for a run's line, nothing when libcurl was skipped.
per_run_ratio() { [[ $2 == skipped ]] || echo " ratio=$(ratio "$1" "$2")"; }

# --- a ledger with N customers, one debt each, all due now -----------------------------------
# write_config DIR CHANNELS LADDER_CHANNEL LADDER_TEMPLATE
# Not bench/compose.yaml (the compose benchmark's and oracle tests' config): this one drives the
# daemon's whole tick against the run's servers, so every ladder step is on the one channel under
# test (each customer gets exactly one message, and none goes to a channel with no server), the
# channels carry the run's ports and connection count, and the ledger is real. Only the business,
# time zone and Pix link are the same; deriving the rest from that file would rewrite most of it.
# A metrics file, as the example config has: the tick then reads the ledger's status for it.
write_config() {
  cat >"$1/lembra.yaml" <<EOF
database: $1/lembra.sqlite
tick: 1m
metrics_file: $1/lembra.prom
timezone: America/Sao_Paulo
business:
  name: Oficina Exemplo Ltda
  document: 11.222.333/0001-81
  address: Rua das Flores, 100 — Centro, São Paulo/SP, 01001-000
  reply_to: financeiro@oficina-exemplo.com.br
ladders:
  upcoming:    [ { at: -3d, channel: $3, template: $4 } ]
  forgetful:   [ { at: 1d, channel: $3, template: $4 } ]
  short_delay: [ { at: 6d, channel: $3, template: $4 } ]
  chronic:     [ { at: 1d, channel: $3, template: $4 } ]
on_paid:       [ { channel: $3, template: $4 } ]
templates: $repo/config/templates
channels:
$2
payment_link: { kind: pix, key: 11.222.333/0001-81, merchant_name: Oficina Exemplo, merchant_city: São Paulo }
EOF
}

# make_ledger DIR COUNT: imports COUNT customers (e-mail and phone) with one debt each, 1 day overdue.
make_ledger() {
  awk -v n="$2" 'BEGIN { print "id,name,email,phone"; for (i = 0; i < n; i++) printf "c%d,Cliente %d,c%d@cliente.example,+55 11 9%04d-%04d\n", i, i, i, i % 10000, i % 10000 }' >"$1/customers.csv"
  awk -v n="$2" 'BEGIN { print "id,customer_id,amount,due_date,description"; for (i = 0; i < n; i++) printf "d%d,c%d,%d.90,2026-11-17,Revisão de freios\n", i, i, 100 + i % 900 }' >"$1/debts.csv"
  "$bin" import customers "$1/customers.csv" --config "$1/lembra.yaml" --now "$now" >/dev/null
  "$bin" import debts "$1/debts.csv" --config "$1/lembra.yaml" --now "$now" >/dev/null
  cp "$1/lembra.sqlite" "$1/pristine.sqlite"
}

fresh_ledger() { rm -f "$1"/lembra.sqlite*; cp "$1/pristine.sqlite" "$1/lembra.sqlite"; }

# timed_tick DIR: one `lembra run --once` on a fresh copy of the ledger; prints messages/s and
# leaves its CPU time (user and system seconds) in DIR/tick.cpu.
timed_tick() {
  fresh_ledger "$1"
  local t0 t1 TIMEFORMAT='%U %S'
  t0=$(seconds)
  { time "$bin" run --once --config "$1/lembra.yaml" --now "$now" >"$1/tick.out" 2>"$1/tick.log"; } 2>"$1/tick.cpu"
  t1=$(seconds)
  local sent
  sent=$(grep -o 'summary="[^"]*"' "$1/tick.log" | tail -1)
  [[ $sent == *"sent=$n "* ]] || { echo "tick did not send all $n: $sent" >&2; return 1; }
  rate "$n" "$t0" "$t1"
}

# fsyncs DIR: fsync + fdatasync calls of one tick on a fresh ledger, total and per message.
fsyncs() {
  fresh_ledger "$1"
  strace -f -c -e trace=fsync,fdatasync -o "$1/strace.txt" \
    "$bin" run --once --config "$1/lembra.yaml" --now "$now" >/dev/null 2>&1
  local calls
  calls=$(awk '$NF == "fsync" || $NF == "fdatasync" { s += $4 } END { print s + 0 }' "$1/strace.txt")
  echo "$calls $(awk -v c="$calls" -v n="$n" 'BEGIN { printf "%.3f", c / n }')"
}

# cpu_us N CMD...: runs CMD (output in $work/cpu.out) and prints its CPU time, user + system, in
# µs per message over N messages.
cpu_us() {
  local n=$1 TIMEFORMAT='%U %S'; shift
  { time "$@" >"$work/cpu.out" 2>"$work/cpu.err"; } 2>"$work/cpu.time" || { cat "$work/cpu.err" >&2; return 1; }
  awk -v n="$n" '{ printf "%.1f", ($1 + $2) * 1e6 / n }' "$work/cpu.time"
}
# tick_cpu_us DIR: the last timed_tick's CPU in µs per message.
tick_cpu_us() { awk -v n="$n" '{ printf "%.1f", ($1 + $2) * 1e6 / n }' "$1/tick.cpu"; }
# ticks PID...: clock ticks of CPU (user + system) the processes have used so far.
ticks() { for p in "$@"; do awk '{ print $14 + $15 }' "/proc/$p/stat"; done | awk '{ s += $1 } END { print s + 0 }'; }
# per_message_us TICKS MESSAGES: clock ticks spread over messages, in µs each.
per_message_us() { awk -v t="$1" -v m="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t * 1e6 / hz / m }'; }
# budget LABEL TARGET REFERENCE SERVER TRANSPORT COMPOSE LEDGER TICK (rates in messages/s, costs
# in CPU µs per message): prints and notes what the target leaves per message on this machine's
# cores against the sum of the parts measured alone.
budget() {
  local line
  line=$(awk -v l="$1" -v t="$2" -v r="$3" -v s="$4" -v x="$5" -v c="$6" -v d="$7" -v k="$8" -v cores="$(nproc)" 'BEGIN {
    printf "%s CPU budget at %sx: %.1f us a message (%d cores / %.0f msg/s); the parts alone: server %.1f + transport %.1f + compose %.1f + planning and ledger %.1f = %.1f us; the whole tick used %.1f us (start-up included)",
      l, t, cores * 1e6 / (t * r), cores, t * r, s, x, c, d, s + x + c + d, k }')
  echo "$line"; note "$line"
}
# The compose costs and payload sizes, for the budgets.
compose_out=$("$benchbin" compose "$repo/config/templates" "$n" 3)
compose_us() { awk -v k="$1" '/^median/ { for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) { v = substr($i, length(k) + 2); sub(/us$/, "", v); print v } }' <<<"$compose_out"; }
payload_bytes() { awk -v k="$1_bytes" -v n="$n" '/^round=1 / { for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) print int(substr($i, length(k) + 2) / n) }' <<<"$compose_out"; }
ledger_us() { "$benchbin" ledger "$n" "$1" "$2" | sed -n 's/.* total=\([0-9.]*\)us.*/\1/p'; }

# --- e-mail ----------------------------------------------------------------------------------
if [[ $have_postfix == 1 ]]; then
  echo; echo "== E-mail: smtp-source vs lembra, $n messages, $c connections, smtp-sink on loopback =="
  port=$(free_port)
  smtp-sink -u nobody -m 512 "127.0.0.1:$port" 256 >"$work/smtp-sink.log" 2>&1 </dev/null &
  pids+=($!); sink=$!; sink_ticks=0
  wait_port "$port"
  mail=$work/mail; mkdir -p "$mail"
  write_config "$mail" "  email: { type: smtp, url: \"smtp://127.0.0.1:$port\", tls: none, max_connections: $c, from: \"Oficina Exemplo <cobranca@oficina-exemplo.com.br>\" }" email friendly
  make_ledger "$mail" "$n"
  # A real reminder as smtp-source's message, so both send the same bytes: one tick into an outbox.
  sample=$work/sample; mkdir -p "$sample"
  write_config "$sample" "  outbox: { type: outbox, path: $sample/outbox, from: \"Oficina Exemplo <cobranca@oficina-exemplo.com.br>\" }" outbox friendly
  make_ledger "$sample" 1
  "$bin" run --once --config "$sample/lembra.yaml" --now "$now" >/dev/null 2>&1
  tr -d '\r' <"$(ls "$sample"/outbox/new/* | head -1)" >"$work/reminder.eml"
  size=$(wc -c <"$work/reminder.eml")
  echo "message: a rendered reminder, $size bytes"
  sed 's/$/\r/' "$work/reminder.eml" >"$work/reminder.crlf"            # libcurl sends the bytes as given
  sed '1,/^$/d' "$work/reminder.eml" >"$work/reminder.body"             # lembra-bench adds the headers
  source_rates=() lembra_rates=() curl_rates=() transport_rates=()
  for r in $(seq "$runs"); do
    k0=$(ticks "$sink")
    t0=$(seconds)
    timeout 300 smtp-source -d -s "$c" -m "$n" -F "$work/reminder.eml" -f cobranca@oficina-exemplo.com.br \
      -t cliente@cliente.example "127.0.0.1:$port"
    t1=$(seconds)
    sink_ticks=$((sink_ticks + $(ticks "$sink") - k0))
    source_rates+=("$(rate "$n" "$t0" "$t1")")
    k=skipped
    if [[ $have_ceiling == 1 ]]; then k=$("$work/curl_loop" smtp "smtp://127.0.0.1:$port" "$c" "$n" "$work/reminder.crlf"); curl_rates+=("$k"); fi
    transport_rates+=("$("$benchbin" smtp "smtp://127.0.0.1:$port" "$c" "$n" "$work/reminder.body")")
    lembra_rates+=("$(timed_tick "$mail")")
    echo "run=$r smtp-source=${source_rates[-1]} libcurl-alone=$k transport-alone=${transport_rates[-1]} lembra=${lembra_rates[-1]} msg/s$(per_run_ratio "${lembra_rates[-1]}" "$k")"
  done
  s=$(echo "${source_rates[*]}" | median); l=$(echo "${lembra_rates[*]}" | median); t=$(echo "${transport_rates[*]}" | median)
  echo "median: smtp-source $s msg/s, lembra $l msg/s, ratio $(ratio "$l" "$s") (former target 0.5)"
  note "e-mail: smtp-source $s msg/s, lembra run --once $l msg/s, ratio $(ratio "$l" "$s") (former target 0.5)"
  if [[ $have_ceiling == 1 ]]; then
    k=$(echo "${curl_rates[*]}" | median)
    echo "median: libcurl alone $k msg/s ($(ratio "$k" "$s") of smtp-source)"
    echo "median: lembra $l msg/s, libcurl alone $k msg/s, ratio $(ratio "$l" "$k") (target >= 0.6)"
    note "e-mail: lembra run --once / libcurl alone $(ratio "$l" "$k") (target >= 0.6; $l against $k msg/s)"
    note "e-mail ceilings: libcurl alone $k msg/s ($(ratio "$k" "$s")x smtp-source), Lembra's SMTP transport alone $t msg/s ($(ratio "$t" "$s")x)"
  fi
  echo "median: SMTP transport alone $t msg/s ($(ratio "$t" "$s") of smtp-source)"
  budget e-mail 0.5 "$s" "$(per_message_us "$sink_ticks" $((n * runs)))" \
    "$(cpu_us "$n" "$benchbin" smtp "smtp://127.0.0.1:$port" "$c" "$n" "$work/reminder.body")" \
    "$(compose_us email)" "$(ledger_us "$(payload_bytes email)" 8)" "$(tick_cpu_us "$mail")"
  if [[ $have_strace == 1 ]]; then
    read -r calls per <<<"$(fsyncs "$mail")"
    echo "ledger: $calls fsync/fdatasync calls for $n e-mails ($per per message, $c connections, batches of 8 each)"
    note "ledger, e-mail: $per fsyncs per message ($calls for $n, $c connections, batches of 8 each)"
  fi
  # One connection: one lane, so no lane records its outcomes while another sends.
  sed -i "s/max_connections: $c,/max_connections: 1,/" "$mail/lembra.yaml"
  one=$(timed_tick "$mail")
  echo "lembra with max_connections 1: $one msg/s"
  note "e-mail, max_connections 1: lembra run --once $one msg/s"
  if [[ $have_strace == 1 ]]; then
    read -r calls per <<<"$(fsyncs "$mail")"
    echo "ledger: $calls fsync/fdatasync calls for $n e-mails ($per per message, max_connections 1, batches of 8)"
    note "ledger, e-mail, max_connections 1: $per fsyncs per message ($calls for $n, batches of 8)"
  fi
  sed -i "s/max_connections: 1,/max_connections: $c,/" "$mail/lembra.yaml"
else
  note "e-mail: SKIPPED (postfix's smtp-sink/smtp-source unavailable)"
fi

# --- webhooks --------------------------------------------------------------------------------
if [[ $have_nginx == 1 ]]; then
  echo; echo "== Webhooks: wrk vs lembra, $n requests, $c connections, nginx on loopback =="
  port=$(free_port)
  ng=$work/nginx; mkdir -p "$ng/logs"
  cat >"$ng/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $ng/nginx.pid;
error_log $ng/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $ng/body;
  keepalive_requests 1000000;
  client_max_body_size 1m;
  server {
    listen 127.0.0.1:$port;
    location /hook { return 200 "ok\n"; }
  }
}
EOF
  nginx -p "$ng" -c "$ng/nginx.conf" >"$ng/logs/stdout.log" 2>&1 </dev/null &
  pids+=($!); nginx_pid=$!
  wait_port "$port"
  curl -sf -X POST -H 'content-type: application/json' -d '{"ping":1}' "http://127.0.0.1:$port/hook" >/dev/null \
    || { echo "nginx does not answer POST with 200" >&2; exit 1; }
  hook=$work/hook; mkdir -p "$hook"
  echo "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" >"$hook/secret"; chmod 600 "$hook/secret"
  write_config "$hook" "  sms: { type: webhook, url: \"http://127.0.0.1:$port/hook\", secret_file: $hook/secret, requires: none, max_connections: $c }" sms friendly-sms
  make_ledger "$hook" "$n"
  # wrk POSTs a body of the daemon's size (a webhook payload is about 1 KB).
  body=$(python3 -c 'import json; print(json.dumps({"type": "reminder.due", "pad": "x" * 1000}))')
  printf 'wrk.method = "POST"\nwrk.headers["content-type"] = "application/json"\nwrk.body = %s\n' \
    "$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$body")" >"$work/post.lua"
  if [[ $have_wrk == 1 ]]; then
    printf '%s' "$body" >"$work/body.json"
    wrk_rates=() lembra_rates=() curl_rates=() transport_rates=()
    workers=$(pgrep -P "$nginx_pid" | tr '\n' ' '); nginx_ticks=0 wrk_requests=0
    for r in $(seq "$runs"); do
      k0=$(ticks $workers)
      wrk -t2 -c"$c" -d10s -s "$work/post.lua" "http://127.0.0.1:$port/hook" >"$work/wrk.txt"
      nginx_ticks=$((nginx_ticks + $(ticks $workers) - k0))
      wrk_requests=$((wrk_requests + $(awk '/ requests in / { print $1 }' "$work/wrk.txt")))
      wrk_rates+=("$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$work/wrk.txt")")
      k=skipped
      if [[ $have_ceiling == 1 ]]; then k=$("$work/curl_loop" http "http://127.0.0.1:$port/hook" "$c" "$n" "$work/body.json"); curl_rates+=("$k"); fi
      transport_rates+=("$("$benchbin" webhook "http://127.0.0.1:$port/hook" "$c" "$n" "$work/body.json")")
      lembra_rates+=("$(timed_tick "$hook")")
      echo "run=$r wrk=${wrk_rates[-1]} libcurl-alone=$k transport-alone=${transport_rates[-1]} lembra=${lembra_rates[-1]} req/s$(per_run_ratio "${lembra_rates[-1]}" "$k")"
    done
    cat "$work/wrk.txt"
    w=$(echo "${wrk_rates[*]}" | median); l=$(echo "${lembra_rates[*]}" | median)
    echo "median: wrk $w req/s, lembra $l req/s, ratio $(ratio "$l" "$w") (former target 0.3)"
    note "webhooks: wrk $w req/s, lembra run --once $l req/s, ratio $(ratio "$l" "$w") (former target 0.3)"
    t=$(echo "${transport_rates[*]}" | median)
    echo "median: webhook transport alone $t req/s ($(ratio "$t" "$w") of wrk)"
    budget webhook 0.3 "$w" "$(per_message_us "$nginx_ticks" "$wrk_requests")" \
      "$(cpu_us "$n" "$benchbin" webhook "http://127.0.0.1:$port/hook" "$c" "$n" "$work/body.json")" \
      "$(compose_us webhook)" "$(ledger_us "$(payload_bytes webhook)" 256)" "$(tick_cpu_us "$hook")"
    if [[ $have_ceiling == 1 ]]; then
      k=$(echo "${curl_rates[*]}" | median)
      echo "median: libcurl alone $k req/s ($(ratio "$k" "$w") of wrk)"
      echo "median: lembra $l req/s, libcurl alone $k req/s, ratio $(ratio "$l" "$k") (target >= 0.35)"
      note "webhooks: lembra run --once / libcurl alone $(ratio "$l" "$k") (target >= 0.35; $l against $k req/s)"
      note "webhook ceilings: libcurl alone $k req/s ($(ratio "$k" "$w")x wrk), Lembra's webhook transport alone $t req/s ($(ratio "$t" "$w")x)"
    fi
  else
    note "webhooks: wrk unavailable, lembra alone: $(timed_tick "$hook") req/s"
  fi
  if [[ $have_strace == 1 ]]; then
    read -r calls per <<<"$(fsyncs "$hook")"
    echo "ledger: $calls fsync/fdatasync calls for $n webhooks ($per per message, batches of 128, the next marked while one is sent)"
    note "ledger, webhooks: $per fsyncs per message ($calls for $n, batches of 128, the next marked while one is sent)"
  fi
else
  note "webhooks: SKIPPED (nginx unavailable)"
fi

# --- cold start ------------------------------------------------------------------------------
echo; echo "== Cold start: check-config and status on a 100-customer ledger =="
small=$work/small; mkdir -p "$small"
write_config "$small" "  outbox: { type: outbox, path: $small/outbox, from: \"Oficina Exemplo <cobranca@oficina-exemplo.com.br>\" }" outbox friendly
make_ledger "$small" 100
"$bin" run --once --config "$small/lembra.yaml" --now "$now" >/dev/null 2>&1
if [[ $have_hyperfine == 1 ]]; then
  hyperfine -N --warmup 3 --runs 30 --export-json "$work/cold.json" \
    "$bin check-config --config $small/lembra.yaml" "$bin status --config $small/lembra.yaml"
  while read -r name ms; do note "cold start: $name ${ms} ms mean (target < 100 ms)"; done < <(python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(r["command"].split()[1], "%.1f" % (r["mean"] * 1000))' "$work/cold.json")
else
  for cmd in check-config status; do
    t0=$(seconds); for _ in $(seq 30); do "$bin" "$cmd" --config "$small/lembra.yaml" >/dev/null; done; t1=$(seconds)
    ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) * 1000 / 30 }')
    echo "$cmd: $ms ms mean of 30"; note "cold start: $cmd $ms ms mean (target < 100 ms)"
  done
fi

echo; echo "== Summary =="
printf '%s\n' "${summary[@]}"
