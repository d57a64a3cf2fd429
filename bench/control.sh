#!/usr/bin/env bash
# Control-plane benchmarks (issue #16, "Measure"): Dockyard in front of two private dockerd joined as one Swarm.
#
#   bench/control.sh                full run (~15 minutes): writes bench/results/control.md
#   bench/control.sh --quick        shorter windows, fewer samples (~8 minutes); same passes, 500 containers still
#   bench/control.sh --only LIST     only these passes (comma-separated): list,logs,stats,exec,events,search
#   options: --out FILE (default bench/results/control.md)
#   BENCH_DOCKYARD_DLL=/path/to/dockyard.dll runs that build instead of publishing this tree (as run.sh)
#   BENCH_CONTROL_CONTAINERS=N: N containers in the list pass instead of 500 (to check the harness, not a figure)
#   also reachable as `bench/run.sh --control [options]`
#
# Passes (targets from the issue):
#   list    500 containers (250 per engine, --network none, busybox sleep): GET /api/v1/containers?all=true p50/p99 with
#           an administrator's token, and the /containers page (signed-in session) to its last byte. Target ≤ 200 ms.
#   logs    one container writing 1,000 lines/s stamped with its wall clock (µs, busybox adjtimex); one SSE follower of
#           /logs?follow=true: write→receive p50/p99 (target p99 ≤ 250 ms). Then 10,000 lines/s to 10 followers for
#           60 s: Dockyard's VmRSS every second (start, max, end, growth).
#   stats   50 SSE viewers of one container's /stats: Dockyard's connections to that engine's socket before, during,
#           after (one engine stream for all means +1), and its CPU seconds per viewer-minute.
#   exec    WebSocket /exec?cmd=/bin/sh (Bearer): 1,000 single-byte keystrokes, each timed until its tty echo comes
#           back. Target p99 ≤ 20 ms.
#   events  exec-create calls straight to both engines at 2,000/s for 20 s (one "exec_create" event each, the engine's
#           cheapest event): events persisted per second, counted in the database. Target ≥ 1,000/s.
#   search  1,000,000 synthetic rows seeded straight into the events table (bench/control/engine-events.map says
#           how), on SQLite and on a private PostgreSQL 15: GET /api/v1/events with typical filters. Target p99 ≤ 50 ms.
# A pass whose endpoint is missing (404) or that fails is reported as NOT MEASURED with the reason; nothing is
# estimated. Loopback only; every process is started here and stopped by its PID; temp dirs under /var/tmp.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$repo/bench"
mode=full
only="list,logs,stats,exec,events,search"
out="$bench/results/control.md"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) mode=quick ;;
    --only) only="$2"; shift ;;
    --out) out="$2"; shift ;;
    *) echo "control.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

containers="${BENCH_CONTROL_CONTAINERS:-500}"   # fewer only to check the harness itself
case "$mode" in
  full)  api_n=200; page_n=50; log_s=30; mem_s=60; stats_s=60; viewers=50; keys=1000; gen_s=20; gen_rate=2000; rows=1000000; search_n=100 ;;
  quick) api_n=50;  page_n=20; log_s=15; mem_s=20; stats_s=20; viewers=50; keys=300;  gen_s=10; gen_rate=2000; rows=1000000; search_n=30 ;;
esac
followers=10

log() { printf '[control %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
fail() { echo "control.sh: $*" >&2; exit 1; }

for t in docker dockerd containerd runc ss jq curl python3 sqlite3 psql; do
  PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin" command -v "$t" >/dev/null || fail "$t is missing (scripts/install-test-deps.sh installs what the e2e tests need)"
done
[[ -x /bin/busybox ]] || fail "/bin/busybox is missing: install the Debian package busybox-static"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

source "$bench/publish.sh"
bench_publish

# ---------------------------------------------------------------- work area, cleanup, swarm, Dockyard (bench/swarm.sh)
source "$bench/swarm.sh"
swarm_workdir /var/tmp/dyc.XXXXXX
raw="$bench/results/raw/control"
rm -rf "$raw"; mkdir -p "$raw"
source "$bench/postgres.sh"  # the private PostgreSQL of the search pass (in $work/pg), if it got that far

cleanup() {
  set +e
  log "cleaning up"
  swarm_stop_all
  pg_stop "$work/pg"
  swarm_remove_work
}
trap cleanup EXIT

swarm_up
dockyard_up

# ---------------------------------------------------------------- report plumbing
results="$work/results.md"; : >"$results"
failed_passes=()
row() { echo "| $1 | $2 | $3 | $4 |" >>"$results"; }           # measure figure target met
met() { awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN { ok = (op == "<=") ? (v <= t) : (v >= t); print (v == "" ? "—" : (ok ? "yes" : "**no**")) }'; }
ms() { printf '%s ms' "$1"; }

# Runs pass_<name> in its own shell (errexit applies inside; a failure cannot stop the other passes) and reports
# a failure as NOT MEASURED with the tool's own message.
run_pass() { # name title [--only name that selects it, default the name]
  local name="$1" title="$2" rc=0
  [[ ",$only," == *",${3:-$name},"* ]] || return 0
  log "pass $name: $title"
  # In the background, not in a condition: errexit is ignored inside a subshell that is part of `||` or `if`.
  ( set -euo pipefail; "pass_$name" ) 2> >(tee "$work/pass-$name.err" >&2) &
  wait $! || rc=$?
  sleep 0.5   # let tee finish the error file
  if (( rc != 0 )); then
    local why
    why="$(grep -E 'dockyard-bench|event_table.py|control.sh|curl|Error' "$work/pass-$name.err" | tail -n 2 | tr '\n|' '  ' | cut -c1-400)"
    [[ -n "$why" ]] || why="$(tail -n 2 "$work/pass-$name.err" | tr '\n|' '  ' | cut -c1-400)"
    row "$title" "NOT MEASURED: ${why:-exit $rc}" "—" "—"
    failed_passes+=("$name")
  fi
}

# ---------------------------------------------------------------- passes
run_containers() { # engine count prefix
  seq 1 "$2" | xargs -P 6 -I{} env DOCKER_HOST="unix://$work/$1/docker.sock" DOCKER_CONFIG="$work/$1/cli" \
    timeout 120 docker run -d -q --network none --label dockyard-bench=list --name "$3-{}" "$image" /bin/busybox sleep 3600 >/dev/null
}

pass_list() {
  local half=$((containers / 2)) t0 line n
  t0=$SECONDS
  run_containers m "$half" list-m & local a=$!
  run_containers w "$half" list-w & local b=$!
  wait "$a"; wait "$b"
  n=$(( $(dk m ps -q --filter label=dockyard-bench=list | wc -l) + $(dk w ps -q --filter label=dockyard-bench=list | wc -l) ))
  (( n == containers )) || { echo "control.sh: $n of $containers containers running" >&2; return 1; }
  log "$containers containers running ($((SECONDS - t0)) s)"
  line="$("$tool" api-latency "$url" "$token" "$api_n" 20 "$raw/list-api" "/api/v1/containers?all=true")"
  echo "$line" >&2
  n="$(kv items "$line")"
  (( n >= containers )) || { echo "control.sh: the API listed $n containers, expected at least $containers" >&2; return 1; }
  row "Container list API, $containers containers on 2 engines: GET /api/v1/containers?all=true (admin token; $(kv ms_n "$line") requests)" \
      "p50 $(ms "$(kv ms_p50 "$line")"), p99 $(ms "$(kv ms_p99 "$line")") ($n items)" "p99 ≤ 200 ms" "$(met "$(kv ms_p99 "$line")" '<=' 200)"
  line="$("$tool" page-latency "$url" admin "$admin_password" "$page_n" 5 "$raw/list-page" /containers)"
  echo "$line" >&2
  row "Containers page /containers, same $containers containers (signed-in session, to last byte; $(kv ms_n "$line") requests)" \
      "p50 $(ms "$(kv ms_p50 "$line")"), p99 $(ms "$(kv ms_p99 "$line")") ($(kv bytes "$line") bytes)" "≤ 200 ms" "$(met "$(kv ms_p99 "$line")" '<=' 200)"
  row "Portainer, same $containers containers" "not measured: Portainer is not available on this machine" "—" "—"
  for n in m w; do   # the other passes run without the 500
    dk "$n" ps -aq --filter label=dockyard-bench=list | xargs -r -n 50 -P 4 env DOCKER_HOST="unix://$work/$n/docker.sock" DOCKER_CONFIG="$work/$n/cli" timeout 300 docker rm -f >/dev/null
  done
}

# The log writer: lines "T <wall-clock µs> <sequence> <padding>" at $1 lines/s (catching up on its schedule), the
# clock from busybox adjtimex (busybox date has no %N).
writer_script='
now() { /bin/busybox adjtimex | /bin/busybox awk "/time.tv_sec/ { s = \$2 } /time.tv_usec/ { u = \$2 } END { printf \"%d%06d\", s, u }"; }
t0=$(now); i=0
while :; do
  t=$(now); due=$(( (t - t0) * $1 / 1000000 ))
  while [ $i -lt $due ]; do echo "T $t $i $2"; i=$((i + 1)); done
  /bin/busybox usleep 2000
done'

pass_logs() {
  local line pad
  dk w run -d --network none --label dockyard-bench=logs --name logs-1k "$image" /bin/sh -c "$writer_script" sh 1000 "" >/dev/null
  sleep 2
  [[ "$(dk w logs --tail 1 logs-1k)" == T\ * ]] || { echo "control.sh: the log writer writes no timestamped lines: $(dk w logs --tail 3 logs-1k 2>&1)" >&2; return 1; }
  line="$(timeout $((log_s + 60)) "$tool" log-latency "$url" "$token" logs-1k "$log_s" 3 "$raw/logs-latency.txt")"
  echo "$line" >&2
  row "Log follow latency, 1 container at 1,000 lines/s, 1 SSE follower, ${log_s} s ($(kv lines "$line") lines, $(kv lines_per_s "$line")/s received, $(kv lost "$line") lost)" \
      "write→receive p50 $(ms "$(kv writer_ms_p50 "$line")"), p99 $(ms "$(kv writer_ms_p99 "$line")"), max $(ms "$(kv writer_ms_max "$line")") (engine timestamp→receive p99 $(ms "$(kv engine_ms_p99 "$line")"))" \
      "p99 ≤ 250 ms" "$(met "$(kv writer_ms_p99 "$line")" '<=' 250)"
  dk w rm -f logs-1k >/dev/null
  pad="$(printf 'x%.0s' $(seq 1 48))"
  dk w run -d --network none --label dockyard-bench=logs --name logs-10k "$image" /bin/sh -c "$writer_script" sh 10000 "$pad" >/dev/null
  sleep 2
  line="$(timeout $((mem_s + 90)) "$tool" log-memory "$url" "$token" logs-10k "$followers" "$mem_s" "$dockyard_pid" "$raw/logs-memory.tsv")"
  echo "$line" >&2
  row "Dockyard RSS, 1 container at 10,000 lines/s, $followers SSE followers, ${mem_s} s ($(kv lines_per_s_per_follower "$line") lines/s per follower received, $(kv lost_per_follower "$line") lost per follower)" \
      "start $(kv rss_start_mib "$line") MiB, max $(kv rss_max_mib "$line") MiB, end $(kv rss_end_mib "$line") MiB, growth $(kv rss_growth_mib "$line") MiB; 5 s after the followers left $(kv rss_after_close_mib "$line") MiB" \
      "bounded" "see raw/control/logs-memory.tsv"
  dk w rm -f logs-10k >/dev/null
}

pass_stats() {
  local line
  dk m run -d --network none --label dockyard-bench=stats --name stats-1 "$image" /bin/busybox sleep 3600 >/dev/null
  line="$(timeout $((stats_s * 2 + 90)) "$tool" stats-fanout "$url" "$token" stats-1 "$viewers" "$stats_s" "$dockyard_pid" "$work/m/docker.sock" "$raw/stats-fanout.tsv")"
  echo "$line" >&2
  # Besides the stats stream Dockyard keeps its own connections to the engine (event stream, pooled status probes),
  # so one more may come and go: one stream for all viewers means +1 (+2 at a probe), one per viewer +50.
  local before low high
  before="$(kv engine_conns_before_after_idle "$line")"
  low=$(( $(kv engine_conns_during_min "$line") - before )); high=$(( $(kv engine_conns_during_max "$line") - before ))
  row "Stats fan-out, $viewers SSE viewers of one container, ${stats_s} s: Dockyard's connections to that engine's socket" \
      "before $before, during $(kv engine_conns_during_min "$line")–$(kv engine_conns_during_max "$line") (+$low…+$high), 5 s after $(kv engine_conns_after "$line"); $(kv samples_per_viewer_per_s "$line") samples/s per viewer" \
      "+1 (one engine stream)" "$( (( low <= 1 && high <= 2 )) && echo yes || echo '**no**')"
  row "Stats fan-out: Dockyard CPU per viewer-minute" \
      "$(kv cpu_s_per_viewer_min "$line") CPU s gross, $(kv net_cpu_s_per_viewer_min "$line") net of idle ($(kv idle_cpu_s_per_min "$line") CPU s/min idle)" "report" "—"
  dk m rm -f stats-1 >/dev/null
}

pass_exec() {
  local line
  dk w run -d --network none --label dockyard-bench=exec --name exec-1 "$image" /bin/busybox sleep 3600 >/dev/null
  line="$(timeout 300 "$tool" exec-echo "$url" "$token" exec-1 "$keys" "$raw/exec-echo.txt")"
  echo "$line" >&2
  row "Exec echo round trip, WebSocket /exec?cmd=/bin/sh on the worker's container ($(kv keystrokes "$line") keystrokes)" \
      "p50 $(ms "$(kv echo_ms_p50 "$line")"), p99 $(ms "$(kv echo_ms_p99 "$line")"), max $(ms "$(kv echo_ms_max "$line")")" "p99 ≤ 20 ms" "$(met "$(kv echo_ms_p99 "$line")" '<=' 20)"
  dk w rm -f exec-1 >/dev/null
}

pass_events() {
  local line since count last=-1 stable=0 t_start t_last rate db="$work/dockyard/dockyard.db" timeline="$raw/events-ingest.tsv"
  dk m run -d --network none --label dockyard-bench=events --name events-m "$image" /bin/busybox sleep 3600 >/dev/null
  dk w run -d --network none --label dockyard-bench=events --name events-w "$image" /bin/busybox sleep 3600 >/dev/null
  python3 "$bench/control/event_table.py" count --sqlite "$db" >/dev/null   # the table exists and matches the map
  since="$(date +%s%3N)"
  line="$(timeout $((gen_s + 60)) "$tool" events-gen "$gen_s" "$gen_rate" 16 "$work/m/docker.sock=events-m" "$work/w/docker.sock=events-w")"
  echo "$line" >&2
  # Events persisted since the start (nothing else happens on the engines meanwhile), every second, until 5 s
  # without a new one (at most 60 s).
  : >"$timeline"
  t_start="$(kv start_unix_ms "$line")"; t_last="$t_start"
  for _ in $(seq 1 60); do
    count="$(kv total "$(python3 "$bench/control/event_table.py" count --sqlite "$db" --since-unix-ms "$since")")"
    printf '%s\t%s\n' "$(date +%s%3N)" "$count" >>"$timeline"
    if [[ "$count" == "$last" ]]; then stable=$((stable + 1)); (( stable < 5 )) || break; else stable=0; t_last="$(date +%s%3N)"; fi
    last="$count"; sleep 1
  done
  (( last > 0 )) || { echo "control.sh: no events persisted" >&2; return 1; }
  rate="$(awk -v n="$last" -v a="$t_start" -v b="$t_last" 'BEGIN { printf "%.0f", n / ((b - a) / 1000) }')"
  row "Event ingestion: $(kv calls "$line") exec-create calls at $(kv calls_per_s "$line")/s to both engines for ${gen_s} s" \
      "$last persisted; $rate events/s (from the first call to the last new row seen, ±1 s)" "≥ 1,000 events/s" "$(met "$rate" '>=' 1000)"
  curl -sf -H "Authorization: Bearer $token" "$url/api/v1/events?limit=1" | jq -e '.items | length == 1' >/dev/null \
    || { echo "control.sh: GET /api/v1/events?limit=1 does not list the persisted events" >&2; return 1; }
  dk m rm -f events-m >/dev/null; dk w rm -f events-w >/dev/null
}

iso() { date -u -d "@$(( $1 / 1000 ))" +%Y-%m-%dT%H:%M:%SZ; }
search_queries() { # newest_unix_ms → the typical searches, one per line
  local newest="$1" day=86400000
  echo "/api/v1/events?limit=50"
  echo "/api/v1/events?type=container&action=die&limit=50"
  echo "/api/v1/events?node=$node_w&since=$(iso $((newest - 7 * day)))&limit=50"
  echo "/api/v1/events?actor=bench-1234&limit=50"
  echo "/api/v1/events?since=$(iso $((newest - 15 * day - 3600000)))&until=$(iso $((newest - 15 * day)))&limit=50"
  echo "/api/v1/events?user=admin&type=container&limit=50"
  echo "/api/v1/events?action=destroy&since=$(iso $((newest - 30 * day)))&until=$(iso $((newest - 20 * day)))&limit=50"
}

search_on() { # provider data-dir extra-env... (seeding target in $seed_target)
  local provider="$1" data="$2" p lines line seed newest tok
  shift 2
  p="$(free_port)"
  start_dockyard "$p" "$data" "$work/search-$provider.log" "$@"   # migrations create the tables
  tok="$(admin_token "http://127.0.0.1:$p")"
  stop_pid "$started_pid"
  seed="$(python3 "$bench/control/event_table.py" seed "${seed_target[@]}" --rows "$rows" --nodes "$node_m,$node_w")"
  echo "$seed" >&2
  newest="$(kv newest_unix_ms "$seed")"
  start_dockyard "$p" "$data" "$work/search-$provider.log" "$@"
  mapfile -t queries < <(search_queries "$newest")
  lines="$("$tool" api-latency "http://127.0.0.1:$p" "$tok" "$search_n" 10 "$raw/search-$provider" "${queries[@]}")"
  stop_pid "$started_pid"
  echo "$lines" >&2
  while read -r line; do
    row "Event search on $provider, $rows events: \`$(kv path "$line")\` ($(kv ms_n "$line") requests, $(kv items "$line") items)" \
        "p50 $(ms "$(kv ms_p50 "$line")"), p99 $(ms "$(kv ms_p99 "$line")")" "p99 ≤ 50 ms" "$(met "$(kv ms_p99 "$line")" '<=' 50)"
  done <<<"$lines"
}

pass_search_sqlite() {
  # SQLite: the default provider, the database file in the data directory. No engines configured: no ingestion.
  seed_target=(--sqlite "$work/search-sqlite/dockyard.db")
  search_on SQLite "$work/search-sqlite"
}

pass_search_pg() {
  # PostgreSQL 15: a private cluster (bench/postgres.sh: loopback, trust, fsync off).
  pg_start "$work/pg"
  cd "$work/pg"
  seed_target=(--psql "host=127.0.0.1 port=$pg_port user=postgres dbname=dockyard")
  search_on PostgreSQL "$work/search-pg" Dockyard__Database__Provider=Postgres Dockyard__Database__ConnectionString="$pg_connection"
  pg_stop "$work/pg"
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
run_pass list "Container list ($containers containers)"
run_pass logs "Log follow"
run_pass stats "Stats fan-out"
run_pass exec "Exec echo"
run_pass events "Event ingestion"
run_pass search_sqlite "Event search on SQLite ($rows events)" search
run_pass search_pg "Event search on PostgreSQL ($rows events)" search

# ---------------------------------------------------------------- report
mkdir -p "$(dirname "$out")"
{
  echo "# Control-plane benchmarks (issue #16)"
  echo
  echo "Written by \`bench/run.sh --control\` (\`bench/control.sh\`; what each pass does is described at its top and in"
  echo "bench/README.md). Dockyard as it ships (self-contained, composite ReadyToRun), authentication on, in front of two"
  echo "private dockerd joined as one Swarm on loopback; one request at a time unless said otherwise. Raw samples:"
  echo "\`bench/results/raw/control/\` (not committed). Portainer is not available here: the figures are Dockyard's alone."
  echo
  echo "mode=$mode containers=$containers api_n=$api_n page_n=$page_n log=${log_s}s memory=${mem_s}s stats=${stats_s}s viewers=$viewers keystrokes=$keys events=${gen_s}s@${gen_rate}/s search_rows=$rows search_n=$search_n"
  echo
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ) commit=$(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- src || echo '+dirty') dockerd=$(dk m version --format '{{.Server.Version}}') storage=$(dk m info --format '{{.Driver}}')"
  echo
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') x $(nproc); mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2/1048576 }' /proc/meminfo); load before=$load_before, after=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| Measure | Figure | Target | Met |"
  echo "|---|---|---|---|"
  cat "$results"
} >"$out"
cat "$out"
log "wrote $out (raw samples: $raw)"

# latest.md keeps its registry figures; it only gains (once) a section that points here.
latest="$bench/results/latest.md"
if [[ "$out" == "$bench/results/control.md" && -f "$latest" ]] && ! grep -q '^## Control plane' "$latest"; then
  printf '\n## Control plane\n\nMeasured separately by `bench/run.sh --control` (issue #16): see [control.md](control.md).\n' >>"$latest"
fi
(( ${#failed_passes[@]} == 0 )) || { log "not measured: ${failed_passes[*]}"; exit 1; }
