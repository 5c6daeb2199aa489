#!/usr/bin/env bash
# bench/run.sh: the performance benchmarks of Turnaround (SPEC.md section 9),
# each reported as a ratio to the raw SQLite floor measured in the same run.
#
#   bench/run.sh                       # full scale: 1,000,000 responses
#   ROWS=200000 bench/run.sh           # a quick run (every size scales)
#
# Steps: a Release build (cmake -G Ninja, BUILD_DIR); turnaround_gen makes
# ROWS responses (DETRACTOR_SHARE, CUSTOMERS); bench/import_bench (parse,
# floor, engine import); the real CLI end to end (`turnaround init` then
# `turnaround import responses FILE`) under /usr/bin/time -v for wall time and
# peak memory; bench/tick_bench (Engine::tick over TICK_CASES cases, about two
# pending timers each, and its floor); then a summary table.
#
# Environment (defaults): ROWS=1000000, CUSTOMERS=ROWS/4, DETRACTOR_SHARE=0.4,
# SEED=1, TICK_CASES=ROWS*26/100 (>= 500,000 pending timers at full scale),
# BUILD_DIR=build-bench, SKIP_BUILD=0, STEP_TIMEOUT=3600 (seconds per step),
# SKIP_CLI=0, SKIP_TICK=0, SKIP_IMPORT=0, SKIP_REPORTS=0,
# REPORT_RESPONSES=ROWS, REPORT_CASES=ROWS*2/5 (bench/report_bench: every
# report over that many responses and cases, beside a full-scan floor, the
# loss-review agenda live and frozen, issue candidates and "link all
# matching"; then bench/agenda_bench over the same database).
# Everything temporary lives in one mktemp -d directory under /tmp, removed on
# exit (also on error or Ctrl-C). The results are printed, not stored:
# docs/performance.md records the figures of a full run.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROWS=${ROWS:-1000000}
CUSTOMERS=${CUSTOMERS:-$((ROWS / 4))}
DETRACTOR_SHARE=${DETRACTOR_SHARE:-0.4}
SEED=${SEED:-1}
TICK_CASES=${TICK_CASES:-$((ROWS * 26 / 100))}
BUILD_DIR=${BUILD_DIR:-build-bench}
SKIP_BUILD=${SKIP_BUILD:-0}
STEP_TIMEOUT=${STEP_TIMEOUT:-3600}
SKIP_CLI=${SKIP_CLI:-0}
SKIP_TICK=${SKIP_TICK:-0}
SKIP_IMPORT=${SKIP_IMPORT:-0}
SKIP_REPORTS=${SKIP_REPORTS:-0}
REPORT_RESPONSES=${REPORT_RESPONSES:-$ROWS}
REPORT_CASES=${REPORT_CASES:-$((ROWS * 2 / 5))}
NOW=2026-11-02T08:00:00Z  # after the generated responses (2026-08-01 .. 2026-11-01)

case "$BUILD_DIR" in /*) BUILD="$BUILD_DIR" ;; *) BUILD="$ROOT/$BUILD_DIR" ;; esac
CONFIG="$ROOT/examples/acme/company.yaml"

TMP=$(mktemp -d /tmp/turnaround-bench.XXXXXX)
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT

# Each long step runs in the background under `timeout` (which kills its whole
# process group, so /usr/bin/time's child goes too); the shell waits for it,
# so Ctrl-C or a TERM stops the step at once, and the EXIT trap cleans up.
STEP_PID=""
on_signal() {
  if [ -n "$STEP_PID" ]; then
    kill -TERM "$STEP_PID" 2>/dev/null || true
    wait "$STEP_PID" 2>/dev/null || true
  fi
  exit 130
}
trap on_signal INT TERM

say() { printf '\n=== %s\n' "$*"; }
step() {
  timeout "$STEP_TIMEOUT" "$@" &
  STEP_PID=$!
  local rc=0
  wait "$STEP_PID" || rc=$?
  STEP_PID=""
  if [ "$rc" -eq 124 ]; then echo "run.sh: step timed out after $STEP_TIMEOUT s: $1" >&2; fi
  return "$rc"
}

# ---- Machine ------------------------------------------------------------------
say "machine"
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
MEM=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
DEV=$(df --output=source "$TMP" | tail -1)
FSTYPE=$(df --output=fstype "$TMP" | tail -1)
BLK=$(basename "$(readlink -f "$DEV")" 2>/dev/null || echo "?")
ROTA=$(cat "/sys/block/$BLK/queue/rotational" 2>/dev/null || echo "?")
echo "cpu:      $(nproc) x $CPU"
echo "memory:   $MEM"
echo "kernel:   $(uname -sr)"
echo "disk:     $DEV ($FSTYPE; rotational flag $ROTA) for $TMP"
echo "compiler: $(${CXX:-c++} --version | head -1)"
REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then REV="$REV + local changes"; fi
echo "source:   $REV ($(date -u +%Y-%m-%dT%H:%MZ))"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at start; other processes share the machine"

# ---- Build --------------------------------------------------------------------
if [ "$SKIP_BUILD" != 1 ]; then
  say "build (Release) in $BUILD"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTURNAROUND_BUILD_TESTS=OFF >/dev/null
  ninja -C "$BUILD" turnaround turnaround_gen import_bench tick_bench report_bench agenda_bench | tail -1
fi
for exe in "$BUILD/api/turnaround" "$BUILD/examples/turnaround_gen" "$BUILD/bench/import_bench" "$BUILD/bench/tick_bench" "$BUILD/bench/report_bench" "$BUILD/bench/agenda_bench"; do
  [ -x "$exe" ] || { echo "run.sh: missing $exe (build first)" >&2; exit 1; }
done

# ---- Data ---------------------------------------------------------------------
CSV="$TMP/responses.csv"
if [ "$SKIP_IMPORT" != 1 ] || [ "$SKIP_CLI" != 1 ]; then
  say "data: $ROWS responses, $CUSTOMERS customers, detractor share $DETRACTOR_SHARE"
  step "$BUILD/examples/turnaround_gen" --seed "$SEED" --responses "$ROWS" --customers "$CUSTOMERS" \
    --detractor-share "$DETRACTOR_SHARE" --out-responses "$CSV"
  echo "$(du -h "$CSV" | cut -f1) $CSV"
fi

RESULTS="$TMP/results.txt"
: >"$RESULTS"
collect() { grep '^RESULT ' "$1" | sed 's/^RESULT //' >>"$RESULTS" || true; }

# ---- Import: parse, floor, engine ---------------------------------------------
if [ "$SKIP_IMPORT" != 1 ]; then
  say "import_bench"
  if ! step "$BUILD/bench/import_bench" "$CSV" "$TMP/import" --config "$CONFIG" --now "$NOW" >"$TMP/import.out"; then
    cat "$TMP/import.out"
    echo "run.sh: import_bench failed" >&2
    exit 1
  fi
  grep -v '^RESULT ' "$TMP/import.out" || true
  collect "$TMP/import.out"
  rm -rf "$TMP/import"
fi

# ---- Import: the CLI end to end -------------------------------------------------
if [ "$SKIP_CLI" != 1 ]; then
  say "CLI: turnaround import responses (synchronous=FULL, as the CLI opens the database)"
  DB="$TMP/cli.db"
  "$BUILD/api/turnaround" init --db "$DB" --config "$ROOT/examples/acme" --now "$NOW" >/dev/null
  set +e
  step /usr/bin/time -v "$BUILD/api/turnaround" import responses "$CSV" --db "$DB" --now "$NOW" --quiet \
    >"$TMP/cli.json" 2>"$TMP/cli.time"
  rc=$?
  set -e
  if [ $rc -ne 0 ]; then
    echo "run.sh: the CLI import failed (exit $rc):" >&2
    tail -20 "$TMP/cli.time" >&2
    exit 1
  fi
  head -c 300 "$TMP/cli.json" | sed 's/"errors":.*/"errors":[...]}/'; echo
  WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$TMP/cli.time")
  # h:mm:ss or m:ss.ss -> seconds
  WALL_S=$(echo "$WALL" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
  RSS_KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$TMP/cli.time")
  USER_S=$(awk -F': ' '/User time/ {print $2}' "$TMP/cli.time")
  SYS_S=$(awk -F': ' '/System time/ {print $2}' "$TMP/cli.time")
  echo "wall $WALL_S s (user $USER_S s, system $SYS_S s), peak RSS $((RSS_KB / 1024)) MiB, database $(du -h "$DB" | cut -f1)"
  {
    echo "cli.wall_s=$WALL_S"
    echo "cli.user_s=$USER_S"
    echo "cli.sys_s=$SYS_S"
    echo "cli.rows_per_s=$(awk -v r="$ROWS" -v s="$WALL_S" 'BEGIN {printf "%.0f", r / s}')"
    echo "cli.peak_rss_mib=$((RSS_KB / 1024))"
  } >>"$RESULTS"
  rm -f "$DB" "$DB-wal" "$DB-shm"
fi

# ---- Tick -----------------------------------------------------------------------
if [ "$SKIP_TICK" != 1 ]; then
  say "tick_bench: $TICK_CASES cases"
  if ! step "$BUILD/bench/tick_bench" "$TMP/tick" --cases "$TICK_CASES" --config "$CONFIG" >"$TMP/tick.out"; then
    cat "$TMP/tick.out"
    echo "run.sh: tick_bench failed" >&2
    exit 1
  fi
  grep -v '^RESULT ' "$TMP/tick.out" || true
  collect "$TMP/tick.out"
  rm -rf "$TMP/tick"
fi

# ---- Reports --------------------------------------------------------------------
if [ "$SKIP_REPORTS" != 1 ]; then
  say "report_bench: $REPORT_RESPONSES responses, $REPORT_CASES cases"
  if ! step "$BUILD/bench/report_bench" "$TMP/reports" --config "$CONFIG" \
      --responses "$REPORT_RESPONSES" --cases "$REPORT_CASES" >"$TMP/reports.out"; then
    cat "$TMP/reports.out"
    echo "run.sh: report_bench failed" >&2
    exit 1
  fi
  grep -v '^RESULT ' "$TMP/reports.out" || true
  collect "$TMP/reports.out"
  # The agenda once more, through bench/agenda_bench, over the same database
  # (November 2026: the data ends on 2026-11-01).
  say "agenda_bench: the 2026-11 agenda over the report_bench database"
  if ! step "$BUILD/bench/agenda_bench" "$TMP/reports/reports.db" --month 2026-11 \
      --now 2026-11-01T00:00:00Z >"$TMP/agenda.out"; then
    cat "$TMP/agenda.out"
    echo "run.sh: agenda_bench failed" >&2
    exit 1
  fi
  grep -v '^RESULT ' "$TMP/agenda.out" || true
  grep '^RESULT ' "$TMP/agenda.out" | sed 's/^RESULT /RESULT agenda./' >"$TMP/agenda.results" || true
  collect "$TMP/agenda.results"
  rm -rf "$TMP/reports"
fi

# ---- Summary ----------------------------------------------------------------------
get() { awk -F= -v k="$1" '$1 == k {v = $2} END {print (v == "" ? "-" : v)}' "$RESULTS"; }
num() { printf "%'.0f" "$1" 2>/dev/null || echo "$1"; }
under() {  # value limit: a time that must stay below the limit
  awk -v v="$1" -v g="$2" 'BEGIN { if (v == "-") print "-"; else if (v + 0 < g + 0) print "meets"; else printf "over (%.1fx the limit)\n", v / g }'
}
verdict() {  # value goal
  awk -v v="$1" -v g="$2" 'BEGIN { if (v == "-") print "-"; else if (v + 0 >= g + 0) print "meets"; else printf "short (%.0f%% of goal)\n", 100 * v / g }'
}

say "summary (SQLite $(get sqlite_version), $(nproc) x $CPU, $MEM; load at end $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-44s %16s %16s %8s %10s  %-22s %s\n' "benchmark" "engine" "floor" "ratio" "goal" "verdict" "ratio by cpu time"
if [ "$SKIP_IMPORT" != 1 ]; then
  printf '%-44s %16s %16s %8s %10s  %s\n' "CSV parse (rows/s)" "$(num "$(get import.parse_rows_per_s)")" "" "" "" ""
  printf '%-44s %16s %16s %8s %10s  %-22s %s\n' "import, ingest_responses x10000 (rows/s)" \
    "$(num "$(get import.engine_rows_per_s)")" "$(num "$(get import.floor_rows_per_s)")" \
    "$(get import.engine_ratio)" ">= 0.333" "$(verdict "$(get import.engine_ratio)" 0.3333)" "$(get import.engine_cpu_ratio)"
  printf '%-44s %16s %16s %8s %10s  %s\n' "  (floor with the table's key + 3 indexes)" "" \
    "$(num "$(get import.schema_floor_rows_per_s)")" "" "" ""
fi
if [ "$SKIP_CLI" != 1 ]; then
  FLOOR=$(get import.floor_rows_per_s)
  CLI_RATIO=$(awk -v a="$(get cli.rows_per_s)" -v b="$FLOOR" 'BEGIN { if (b == "-" || b == 0) print "-"; else printf "%.3f", a / b }')
  printf '%-44s %16s %16s %8s %10s  %s\n' "import, CLI end to end incl. parse (rows/s)" \
    "$(num "$(get cli.rows_per_s)")" "$(num "$FLOOR")" "$CLI_RATIO" ">= 0.333" "$(verdict "$CLI_RATIO" 0.3333)"
fi
if [ "$SKIP_TICK" != 1 ]; then
  printf '%-44s %16s %16s %8s %10s  %-22s %s\n' "tick, $(num "$(get tick.pending_before)") pending (timers fired/s)" \
    "$(num "$(get tick.engine_timers_per_s)")" "$(num "$(get tick.floor_timers_per_s)")" \
    "$(get tick.engine_ratio)" ">= 30,000" "$(verdict "$(get tick.engine_timers_per_s)" 30000)" "$(get tick.engine_cpu_ratio)"
fi
if [ "$SKIP_REPORTS" != 1 ]; then
  FLOOR=$(get reports.floor_ms)
  ratio() { awk -v a="$1" -v b="$FLOOR" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
  for row in "slowest report (ms)|reports.worst_report_ms" \
             "agenda, live, all sections, 2026-11 (ms)|reports.agenda_live_month_ms" \
             "agenda, frozen read (ms)|reports.agenda_frozen_read_ms" \
             "agenda_bench median, live (ms)|agenda.agenda_median_ms" \
             "agenda_bench run 1, fresh connection (ms)|agenda.agenda_first_ms" \
             "issue candidates ranking (ms)|reports.issue_candidates_ms" \
             "link all matching, rerun (ms)|reports.link_all_matching_rerun_ms"; do
    label=${row%%|*}
    key=${row#*|}
    printf '%-44s %16s %16s %8s %10s  %s\n' "$label" "$(get "$key")" "$FLOOR" "$(ratio "$(get "$key")")" \
      "< 200" "$(under "$(get "$key")" 200)"
  done
fi
echo
echo "disk:   4 KiB write + fdatasync median $(get import.fsync_ms) ms before import, $(get tick.fsync_ms) ms before tick (a WAL checkpoint waits for two such syncs plus the pages it writes)"
[ "$SKIP_IMPORT" != 1 ] && echo "import: $(num "$(get import.rows)") rows, $(num "$(get import.detractors)") detractors, $(num "$(get import.cases_opened)") cases opened, $(num "$(get import.attached)") attached; engine $(get import.engine_s) s (cpu $(get import.engine_cpu_s) s), floor $(get import.floor_s) s (cpu $(get import.floor_cpu_s) s); bench process peak RSS $(get import.process_peak_rss_mib) MiB (holds all parsed rows), engine phase +$(get import.engine_peak_rss_delta_mib) MiB"
[ "$SKIP_REPORTS" != 1 ] && echo "reports: slowest report $(get reports.worst_report_ms) ms, slowest of reports, agenda and issue queries $(get reports.worst_ms) ms (goal < 200 ms), floor (full scan of responses) $(get reports.floor_ms) ms"
[ "$SKIP_CLI" != 1 ] && echo "CLI:    wall $(get cli.wall_s) s (user $(get cli.user_s) s, system $(get cli.sys_s) s), peak RSS $(get cli.peak_rss_mib) MiB"
[ "$SKIP_TICK" != 1 ] && echo "tick:   $(num "$(get tick.fired)") timers fired ($(get tick.reminders) reminders, $(get tick.deadlines_missed) deadlines missed, $(get tick.escalations) escalations) in $(get tick.engine_s) s (cpu $(get tick.engine_cpu_s) s); floor $(get tick.floor_s) s (cpu $(get tick.floor_cpu_s) s); tick phase peak RSS +$(get tick.peak_rss_delta_mib) MiB, process $(get tick.process_peak_rss_mib) MiB"
exit 0
