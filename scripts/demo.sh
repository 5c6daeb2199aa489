#!/usr/bin/env bash
# The main job on the example company: installs what is missing, builds,
# creates a SQLite database from examples/acme, imports the example survey
# responses and churn events, works a few cases as different people, ticks
# through seven simulated weeks and prints the case board.
# Usage: scripts/demo.sh   (DEMO_DIR=demo by default; it is recreated)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build_dir="${BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build_dir" --target turnaround -j "$(nproc)"
ta="$build_dir/api/turnaround"

demo="${DEMO_DIR:-demo}"
rm -rf "$demo" && mkdir -p "$demo"
export TURNAROUND_DB="$demo/acme.db"
start="2026-11-02T08:00:00Z"   # a Monday morning

step() { printf '\n== %s\n' "$*"; }
step "init: load examples/acme/company.yaml and its workflows"
"$ta" init --config examples/acme --now "$start"
step "import the example responses and churn events"
oneline() { tr -d '\n' | tr -s ' '; echo; }
"$ta" import responses examples/acme/responses.csv --now "$start" | oneline
"$ta" import churn examples/acme/churn.csv --now "$start" | oneline

step "executives claim enterprise callbacks from their queue and log the calls"
queue=$("$ta" cases list --queue executive --state callback --limit 3 --format csv | tail -n +2 | cut -d, -f1 | tr -d '\r' | tr '\n' ' ')
execs=(clara.ceo mehmet.cro sofia.cfo)
i=0
for id in $queue; do
  who=${execs[$((i % 3))]}
  "$ta" cases claim "$id" --as "$who" --now "2026-11-02T10:00:00Z" >/dev/null
  "$ta" cases fire "$id" log_call --as "$who" --now "2026-11-03T15:00:00Z" \
    --set "callback_notes=The new billing run charged us twice and nobody called back." \
    --set "themes=billing,communication" >/dev/null
  echo "case $id: claimed and called by $who"
  i=$((i + 1))
done

step "tick every day for seven simulated weeks (reminders, missed deadlines, escalations)"
for day in $(seq 1 49); do
  now=$(date -u -d "2026-11-02 08:00:00 UTC + $day days" +%Y-%m-%dT%H:%M:%SZ)
  "$ta" tick --now "$now"
done | awk '{ f += $2; r += $6; m += $8; e += $11 }
  NR % 7 == 0 { printf "week %d: %d timers fired: %d reminders, %d missed deadlines, %d escalations\n", NR / 7, f, r, m, e; f = r = m = e = 0 }'

step "case board on $(date -u -d '2026-11-02 + 49 days' +%Y-%m-%d): the first 25 overdue open cases"
end=$(date -u -d "2026-11-02 08:00:00 UTC + 49 days" +%Y-%m-%dT%H:%M:%SZ)
"$ta" cases list --open --overdue --limit 25 --now "$end"
echo
echo "Database: $TURNAROUND_DB. Try:"
first=${queue%% *}
echo "  $ta cases show ${first:-1} --db $TURNAROUND_DB --now $end"
echo "  $ta cases list --db $TURNAROUND_DB --state root_cause --now $end"
