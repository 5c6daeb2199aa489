#!/usr/bin/env bash
# bench/http_bench.sh: throughput and latency of `turnaround serve` (the HTTP
# API), each beside its floor measured in the same run on the same machine:
#
#   GET  /v1/cases/{id}   vs  bench/min_server: a Beast server of the same
#                             shape answering a fixed body (HTTP alone: no
#                             routing, auth, database or worker pool), sent
#                             the same requests by the same wrk script.
#                             Goal: >= 0.5 of the floor. Beside it
#                             min_server spending the handler's own CPU per
#                             request (http_dispatch_bench, measured alone)
#                             before it answers: the part of the gap that is
#                             the handler itself.
#   POST /v1/responses    vs  bench/commit_bench: SQLite committing one
#                             transaction per request, synchronous=FULL (what
#                             ingest would cost without group commit).
#                             Goal: >= 5x the floor. Beside it the disk's
#                             fsync rate (one 4 KiB block rewritten and
#                             fdatasync()ed), which bounds any durable commit,
#                             and the same server with group commit off
#                             (--ingest-batch 1: one commit per request, each
#                             with the request's own work), the gain group
#                             commit itself makes (issue 3, item 5).
#
# wrk drives each with CONNECTIONS keep-alive connections for DURATION
# seconds (bench/http_get.lua cycles over the case ids; bench/http_post.lua
# posts a new response_id per request). Only 127.0.0.1 is used.
#
#   bench/http_bench.sh
#   DURATION=5 ROWS=5000 bench/http_bench.sh      # quicker
#
# Environment (defaults): BUILD_DIR=build-http-bench (a Release build),
# SKIP_BUILD=0, DURATION=10, CONNECTIONS=64, WRK_THREADS=2, ROWS=20000 (responses
# imported before the run, so the database holds a few thousand cases with
# histories), ACCESS_LOG=0 (1: the server writes its per-request log to a file),
# SERVE_ARGS="" (more options for `turnaround serve`, e.g. --no-inline-reads).
# Everything temporary lives in one mktemp -d directory, removed on exit.
# The figures are printed, not stored: docs/performance.md ("HTTP") records a run.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-build-http-bench}
SKIP_BUILD=${SKIP_BUILD:-0}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
ROWS=${ROWS:-20000}
ACCESS_LOG=${ACCESS_LOG:-0}
NOW=2026-11-02T08:00:00Z
case "$BUILD_DIR" in /*) BUILD="$BUILD_DIR" ;; *) BUILD="$ROOT/$BUILD_DIR" ;; esac

command -v wrk >/dev/null || { echo "http_bench.sh: wrk is not installed" >&2; exit 1; }

TMP=$(mktemp -d /tmp/turnaround-http-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '\n=== %s\n' "$*"; }

# ---- Machine --------------------------------------------------------------------
say "machine"
echo "cpu:    $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "kernel: $(uname -sr); disk for $TMP: $(df --output=source,fstype "$TMP" | tail -1)"
echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at start; wrk and the server share the machine"

# ---- Build ----------------------------------------------------------------------
if [ "$SKIP_BUILD" != 1 ]; then
  say "build (Release) in $BUILD"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTURNAROUND_BUILD_TESTS=OFF >/dev/null
  ninja -C "$BUILD" turnaround turnaround_gen min_server commit_bench http_dispatch_bench | tail -1
fi
TA="$BUILD/api/turnaround"
for exe in "$TA" "$BUILD/examples/turnaround_gen" "$BUILD/bench/min_server" "$BUILD/bench/commit_bench" \
           "$BUILD/bench/http_dispatch_bench"; do
  [ -x "$exe" ] || { echo "http_bench.sh: missing $exe (build first)" >&2; exit 1; }
done

# ---- Data -----------------------------------------------------------------------
say "data: $ROWS responses imported, tokens for an analyst and the survey tool"
DB="$TMP/bench.db"
"$TA" init --db "$DB" --config "$ROOT/examples/acme" --now "$NOW" >/dev/null
"$BUILD/examples/turnaround_gen" --seed 1 --responses "$ROWS" --customers $((ROWS / 4)) \
  --detractor-share 0.4 --out-responses "$TMP/responses.csv" >/dev/null
"$TA" import responses "$TMP/responses.csv" --db "$DB" --now "$NOW" --quiet >/dev/null || true
# The server runs on the system clock: fire every timer due by now first, so
# that it does not spend the GET run catching up (a tick of thousands of
# timers), and the cases carry their reminders and escalations (~2 KB each).
"$TA" tick --db "$DB" | sed 's/^/tick: /'
ANALYST=$("$TA" user add bench.analyst --db "$DB" --name "Bench analyst" --role analyst --token | tail -1)
INGEST=$("$TA" user add bench.ingest --db "$DB" --name "Bench ingest" --role ingest --token | tail -1)
CASES=$("$TA" cases list --db "$DB" --format csv --now "$NOW" | tail -n +2 | wc -l)
echo "$CASES cases"

# Starts "$@" (which prints "listening on http://127.0.0.1:PORT" first) and
# sets PORT and LAST_PID.
start_server() {
  local out="$TMP/server.$RANDOM.out"
  "$@" >"$out" 2>"$TMP/server.err" &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
  for _ in $(seq 1 200); do
    PORT=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$out")
    [ -n "$PORT" ] && return 0
    sleep 0.05
  done
  echo "http_bench.sh: $1 did not start:" >&2
  cat "$TMP/server.err" >&2
  exit 1
}

RESULTS="$TMP/results.txt"
: >"$RESULTS"
# get KEY: the last value recorded for KEY, or "-".
get() { awk -F= -v k="$1" '$1 == k {v = $2} END {print (v == "" ? "-" : v)}' "$RESULTS"; }
CLK_TCK=$(getconf CLK_TCK)
# CPU time (user + system, in clock ticks) used so far by process $1.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# wrk_run NAME URL [wrk args...]: runs wrk against the server $SERVER_PID,
# keeps rps, percentiles, errors, and the server's CPU per request (from
# /proc/PID/stat: other processes on the machine do not inflate it).
wrk_run() {
  local name=$1 url=$2
  shift 2
  local out="$TMP/wrk.$name"
  local cpu0
  cpu0=$(cpu_ticks "$SERVER_PID")
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url" >"$out"
  local cpu1
  cpu1=$(cpu_ticks "$SERVER_PID")
  sed -n '/Thread Stats/,$p' "$out" | grep -E 'Latency  |Requests/sec|requests in|Non-2xx|Socket errors|50%|90%|99%' | sed 's/^/  /'
  local requests
  requests=$(awk '/requests in/ {print $1}' "$out")
  local cpu_us
  cpu_us=$(awk -v t=$((cpu1 - cpu0)) -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { if (n > 0) printf "%.1f", 1e6 * t / hz / n; else print "-" }')
  echo "  server CPU: $cpu_us us per request"
  {
    echo "$name.rps=$(awk '/Requests\/sec/ {print $2}' "$out")"
    for p in 50 90 99; do echo "$name.p$p=$(awk -v p="$p%" '$1 == p {print $2}' "$out")"; done
    echo "$name.non2xx=$(awk '/Non-2xx/ {print $5}' "$out")"
    echo "$name.cpu_us=$cpu_us"
  } >>"$RESULTS"
}

# ---- GET floor: the minimal Beast server --------------------------------------------
say "GET floor: bench/min_server (fixed 2 KB body)"
start_server "$BUILD/bench/min_server" --listen 127.0.0.1:0 --body-bytes 2048
SERVER_PID=$LAST_PID
# The same requests as the GET run below (wrk's script, paths and token): the
# client's work is then the same in both runs and the ratio compares servers
# only. (min_server ignores the path and the header.)
TOKEN=$ANALYST CASES=$CASES wrk_run min_get "http://127.0.0.1:$PORT" -s "$ROOT/bench/http_get.lua"
kill "$LAST_PID"; wait "$LAST_PID" 2>/dev/null || true

# ---- turnaround serve -------------------------------------------------------------
LOG_ARGS=(--no-access-log)
[ "$ACCESS_LOG" = 1 ] && LOG_ARGS=()
# SERVE_ARGS: extra options for `turnaround serve` (e.g. --no-inline-reads).
SERVE_ARGS=${SERVE_ARGS:-}
say "turnaround serve (synchronous=FULL, access log $([ "$ACCESS_LOG" = 1 ] && echo "on, to a file" || echo off)${SERVE_ARGS:+; $SERVE_ARGS})"
# The run without group commit (below) starts from this same data, not from
# what the POST run leaves (cases that have gathered thousands of responses).
# Nothing has the file open here.
cp "$DB" "$TMP/batch1.db"
if [ -f "$DB-wal" ]; then cp "$DB-wal" "$TMP/batch1.db-wal"; fi
# shellcheck disable=SC2086 # SERVE_ARGS is a list of options
start_server "$TA" serve --db "$DB" --listen 127.0.0.1:0 "${LOG_ARGS[@]}" $SERVE_ARGS
SERVER_PID=$LAST_PID
echo "GET /v1/cases/{id}: $(curl -s -H "Authorization: Bearer $ANALYST" "http://127.0.0.1:$PORT/v1/cases/1" | wc -c) bytes for case 1"
say "GET /v1/cases/{id} (ids 1..$CASES, as an analyst)"
TOKEN=$ANALYST CASES=$CASES wrk_run get "http://127.0.0.1:$PORT" -s "$ROOT/bench/http_get.lua"
say "POST /v1/responses (one new response per request, as the survey tool)"
TOKEN=$INGEST PREFIX=b$$ wrk_run post "http://127.0.0.1:$PORT" -s "$ROOT/bench/http_post.lua"
METRICS=$(curl -s -H "Authorization: Bearer $ANALYST" "http://127.0.0.1:$PORT/metrics" || true)
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" && echo "server stopped cleanly (exit 0)" || echo "server exit status $?"
# Group commit at work: items and requests per commit during the POST run.
BATCH_ITEMS=$(echo "$METRICS" | awk '/^turnaround_ingest_batch_items_sum/ {s=$2} /^turnaround_ingest_batch_items_count/ {c=$2} END {if (c) printf "%.1f", s / c}')
echo "ingest: $BATCH_ITEMS items per commit on average"
echo "post.items_per_commit=$BATCH_ITEMS" >>"$RESULTS"

# ---- The same server without group commit ----------------------------------------------
say "POST /v1/responses, the same server with one commit per request (--ingest-batch 1)"
# shellcheck disable=SC2086 # SERVE_ARGS is a list of options
start_server "$TA" serve --db "$TMP/batch1.db" --listen 127.0.0.1:0 "${LOG_ARGS[@]}" --ingest-batch 1 $SERVE_ARGS
SERVER_PID=$LAST_PID
TOKEN=$INGEST PREFIX=u$$ wrk_run post1 "http://127.0.0.1:$PORT" -s "$ROOT/bench/http_post.lua"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" && echo "server stopped cleanly (exit 0)" || echo "server exit status $?"

# ---- POST floor: one commit per request ----------------------------------------------
say "POST floor: bench/commit_bench (one transaction per request, synchronous=FULL)"
"$BUILD/bench/commit_bench" "$TMP/commit" --seconds "$DURATION" | tee "$TMP/commit.out" | grep -v '^RESULT'
grep '^RESULT ' "$TMP/commit.out" | sed 's/^RESULT //' >>"$RESULTS"

# ---- The handler alone ----------------------------------------------------------------
say "GET /v1/cases/{id} through dispatch() alone (no sockets, one thread)"
"$BUILD/bench/http_dispatch_bench" "$DB" "$ANALYST" --cases "$CASES" --seconds 3 | tee "$TMP/dispatch.out" | grep -v '^RESULT'
grep '^RESULT ' "$TMP/dispatch.out" | sed 's/^RESULT //' >>"$RESULTS"

# ---- The GET floor plus the handler's CPU ----------------------------------------------
# min_server again, now spending the handler's CPU per request (just measured
# alone) in a plain loop before it answers: the rate a server would reach
# whose only cost above the floor were its handler. Beside the GET run, it
# tells how much of the gap to the floor is the handler itself and how much
# the rest of the server (threads, queues, metrics).
HANDLER_US=$(get dispatch.get_case_cpu_us)
if [ "$HANDLER_US" != "-" ]; then
  say "GET floor plus the handler's CPU: bench/min_server --work-us $HANDLER_US"
  start_server "$BUILD/bench/min_server" --listen 127.0.0.1:0 --body-bytes 2048 --work-us "$HANDLER_US"
  SERVER_PID=$LAST_PID
  TOKEN=$ANALYST CASES=$CASES wrk_run min_work "http://127.0.0.1:$PORT" -s "$ROOT/bench/http_get.lua"
  kill "$LAST_PID"; wait "$LAST_PID" 2>/dev/null || true
fi

# ---- Summary ----------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
verdict() { awk -v v="$1" -v g="$2" 'BEGIN { if (v == "-") print "-"; else if (v + 0 >= g + 0) print "meets"; else printf "short (%.0f%% of goal)\n", 100 * v / g }'; }
GET_RATIO=$(ratio "$(get get.rps)" "$(get min_get.rps)")
POST_RATIO=$(ratio "$(get post.rps)" "$(get commit.per_s)")
say "summary ($(nproc) cores; $CONNECTIONS connections, $WRK_THREADS wrk threads, ${DURATION}s each; load at end $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-28s %10s %9s %9s %9s %8s %12s %8s %8s  %s\n' "benchmark" "req/s" "p50" "p90" "p99" "cpu_us" "floor/s" "ratio" "goal" "verdict"
printf '%-28s %10s %9s %9s %9s %8s %12s %8s %8s  %s\n' "GET /v1/cases/{id}" "$(get get.rps)" "$(get get.p50)" \
  "$(get get.p90)" "$(get get.p99)" "$(get get.cpu_us)" "$(get min_get.rps)" "$GET_RATIO" ">= 0.5" "$(verdict "$GET_RATIO" 0.5)"
printf '%-28s %10s %9s %9s %9s %8s %12s %8s %8s  %s\n' "  floor: min_server" "$(get min_get.rps)" "$(get min_get.p50)" \
  "$(get min_get.p90)" "$(get min_get.p99)" "$(get min_get.cpu_us)" "" "" "" ""
printf '%-28s %10s %9s %9s %9s %8s %12s %8s\n' "  floor + handler's CPU" "$(get min_work.rps)" "$(get min_work.p50)" \
  "$(get min_work.p90)" "$(get min_work.p99)" "$(get min_work.cpu_us)" "" "$(ratio "$(get min_work.rps)" "$(get min_get.rps)")"
printf '%-28s %10s %9s %9s %9s %8s %12s %8s %8s  %s\n' "POST /v1/responses" "$(get post.rps)" "$(get post.p50)" \
  "$(get post.p90)" "$(get post.p99)" "$(get post.cpu_us)" "$(get commit.per_s)" "$POST_RATIO" ">= 5" "$(verdict "$POST_RATIO" 5)"
printf '%-28s %10s %9s %9s %9s %8s %12s %8s\n' "  floor: commit per request" "$(get commit.per_s)" "" "" "" "" "" ""
printf '%-28s %10s %9s %9s %9s %8s %12s %8s\n' "  disk: fsync rate" "$(get fsync.per_s)" "" "" "" "" "" \
  "$(ratio "$(get post.rps)" "$(get fsync.per_s)")"
printf '%-28s %10s %9s %9s %9s %8s %12s %8s\n' "  same server, batch 1" "$(get post1.rps)" "$(get post1.p50)" \
  "$(get post1.p90)" "$(get post1.p99)" "$(get post1.cpu_us)" "" "$(ratio "$(get post.rps)" "$(get post1.rps)")"
echo "(cpu_us: the server's CPU time per request, user + system, from /proc/PID/stat;"
echo " floor + handler's CPU: min_server spending the handler's CPU per request (measured alone) before it answers,"
echo " its ratio to the floor is what a server costing only its handler above the floor would reach;"
echo " the ratios under POST: its rate to the disk's fsync rate and to the same server committing each request alone)"
echo
echo "non-2xx responses: GET $(get get.non2xx | sed 's/^-$/0/'), POST $(get post.non2xx | sed 's/^-$/0/'), POST batch 1 $(get post1.non2xx | sed 's/^-$/0/'); ingest $(get post.items_per_commit) items per commit"
echo "handler alone (dispatch, one thread): $(get dispatch.get_case_per_s) GET/s, $(get dispatch.get_case_cpu_us) us of CPU each"
exit 0
