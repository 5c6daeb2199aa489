#!/usr/bin/env bash
# The main job on the example company: installs what is missing, builds,
# creates a SQLite database from examples/acme, imports the example survey
# responses and churn events, works a few cases as different people, ticks
# day by day up to today, makes API tokens for example people and starts the
# HTTP server and web page on it (LISTEN=127.0.0.1:8080 by default), printing
# the page's address, sign-in tokens and curl lines.
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

step "tick every day from $start to today (reminders, missed deadlines, escalations)"
# The server runs on the system clock: simulate the days up to now (at most
# seven weeks); the server catches up on anything left when it starts.
now_s=$(date -u +%s)
start_s=$(date -u -d "$start" +%s)
days=$(( (now_s - start_s) / 86400 ))
if (( days > 49 )); then days=49; fi
if (( days < 0 )); then days=0; fi
for day in $(seq 1 "$days"); do
  "$ta" tick --now "$(date -u -d "@$((start_s + day * 86400))" +%Y-%m-%dT%H:%M:%SZ)"
done | awk -v last="$days" '{ f += $2; r += $6; m += $8; e += $11 }
  NR % 7 == 0 || NR == last { printf "day %d: %d timers fired: %d reminders, %d missed deadlines, %d escalations\n", NR, f, r, m, e; f = r = m = e = 0 }'

step "case board now: the first 10 overdue open cases"
"$ta" cases list --open --overdue --limit 10

step "API tokens for example people (each shown once; only a hash is stored)"
token() { "$ta" user token add "$1" | tail -1; }
"$ta" user add survey-tool --name "Survey tool" --role ingest >/dev/null
ops_token=$(token ines.ops)
exec_token=$(token clara.ceo)
analyst_token=$(token ana.analyst)
ingest_token=$(token survey-tool)
printf '  %-10s %-26s %s\n' "ops lead" "ines.ops (Ines Okafor)" "$ops_token" \
  "executive" "clara.ceo (Clara Brandt)" "$exec_token" \
  "analyst" "ana.analyst (Ana Costa)" "$analyst_token" \
  "ingest" "survey-tool" "$ingest_token"

listen="${LISTEN:-127.0.0.1:8080}"
base="http://$listen"
first=${queue%% *}
step "serving $TURNAROUND_DB at $base (Ctrl-C stops it)"
echo "Web page: $base/  (sign in by pasting a token above: ops lead $ops_token"
echo "          or executive $exec_token)"
echo "Or with curl:"
echo "  curl -s -H 'Authorization: Bearer $ops_token' '$base/v1/cases?state=root_cause&limit=5'"
echo "  curl -s -H 'Authorization: Bearer $exec_token' $base/v1/me/tasks"
echo "  curl -s -H 'Authorization: Bearer $ops_token' $base/v1/cases/${first:-1}"
echo "  curl -s -H 'Authorization: Bearer $ingest_token' -d '{\"response_id\": \"demo-1\", \"customer_id\": \"CUST-DEMO\", \"customer_name\": \"Demo GmbH\", \"segment\": \"smb\", \"arr\": 9000, \"score\": 2, \"responded_at\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}' $base/v1/responses"
echo "  curl -s $base/healthz"
echo "References: docs/web.md (the page), docs/api.md (the API)."
exec "$ta" serve --listen "$listen"
