#!/usr/bin/env bash
# Search at one million manifests (issue #19, item 4): bench/run.sh --search [--quick] [--out FILE].
#
# For SQLite and for a private PostgreSQL 15 (started as control.sh's event-search pass starts it): Dockyard starts on
# an empty data directory (migrations), a user `searcher` is created through the API, then search/search_seed.py
# writes straight into the database 1,000 organizations, 100,000 repositories and their search rows derived from
# 1,000,000 manifests (10 per repository: search_documents and search_images; see its header), with `searcher` a
# member (read) of 100 organizations: 10 % of the repositories. Dockyard starts again and `dockyard-bench api-latency`
# times typical searches over HTTP with searcher's access token, one request at a time after a warm-up, p50/p99,
# and the CPU per request of each (utime+stime from /proc/PID/stat of Dockyard, and on PostgreSQL of the cluster's
# processes too, where the queries run; warm-ups included). Target: p99 ≤ 50 ms. The load average is recorded
# with every figure (the machine is shared). Loopback only; every process started here is stopped by its PID; temp
# dirs under /var/tmp. Writes bench/results/search.md.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$repo/bench"
mode=full
out="$bench/results/search.md"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) mode=quick ;;
    --out) out="$2"; shift ;;
    *) echo "search.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
case "$mode" in
  full)  n=100; warm=20 ;;
  quick) n=30;  warm=5 ;;
esac
repositories=100000; orgs=1000; per_repo=10; member_orgs=100
searcher_password='Bench-Search-User-1'

log() { printf '[search %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
fail() { echo "search.sh: $*" >&2; exit 1; }
for t in jq curl python3 sqlite3 psql; do command -v "$t" >/dev/null || fail "$t is missing (scripts/install-test-deps.sh)"; done
[[ -x /usr/lib/postgresql/15/bin/initdb ]] || fail "PostgreSQL 15 is missing (apt-get install postgresql-15)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

source "$bench/publish.sh"
bench_publish
source "$bench/swarm.sh"   # stop_pid, free_port, kv, start_dockyard, admin_token (no engines are started)
work="$(mktemp -d /var/tmp/dys.XXXXXX)"; pids_file="$work/pids"; : >"$pids_file"
pg_data="$work/pg/data"
raw="$bench/results/raw/search"; rm -rf "$raw"; mkdir -p "$raw"
cleanup() {
  set +e
  while read -r pid; do stop_pid "$pid"; done <"$pids_file"
  if [[ -f "$pg_data/postmaster.pid" ]]; then
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pg_data" -m fast -w -t 30 stop >/dev/null 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT
results="$work/results.md"; : >"$results"
row() { echo "| $1 | $2 | $3 | $4 |" >>"$results"; }
met() { awk -v v="$1" -v t="$2" 'BEGIN { print (v == "" ? "—" : (v <= t ? "yes" : "**no**")) }'; }
cpu_ticks() { # pid [postmaster pid]: utime+stime of Dockyard, plus the PostgreSQL cluster's processes (where its queries run)
  local t; t="$(awk '{ print $14 + $15 }' "/proc/$1/stat")"
  if [[ -n "${2:-}" ]]; then
    for c in "$2" $(pgrep -P "$2"); do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$c/stat" 2>/dev/null || echo 0))); done
  fi
  echo "$t"
}

queries() { # typical searches: one word (common prefix, rare word, 2 letters), two words, filters, suggestions
  local since; since="$(date -u -d '-30 days' +%Y-%m-%d)"
  printf '%s\n' "/api/v1/search?q=api" "/api/v1/search?q=postgres" "/api/v1/search?q=pa" "/api/v1/search?q=pay+service" \
    "/api/v1/search?q=web&arch=arm64" "/api/v1/search?label=team%3Dpayments" "/api/v1/search?q=latest&signed=true&since=$since" \
    "/api/v1/search?org=org0042&q=stable" "/api/v1/search?q=zzzz" "/api/v1/search/suggestions?q=ga"
}

search_on() { # provider data-dir seed-target... -- extra-env...
  local provider="$1" data="$2" p tok admin seed line path pid postmaster before after total=0 size load
  shift 2
  local target=(); while [[ "$1" != -- ]]; do target+=("$1"); shift; done; shift
  p="$(free_port)"
  start_dockyard "$p" "$data" "$work/search-$provider.log" "$@"   # migrations create the tables
  admin="$(admin_token "http://127.0.0.1:$p")"
  curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "{\"username\":\"searcher\",\"password\":\"$searcher_password\"}" "http://127.0.0.1:$p/api/v1/users" >/dev/null
  tok="$(curl -sf -u "searcher:$searcher_password" -H 'Content-Type: application/json' -d '{"name":"bench-search"}' "http://127.0.0.1:$p/api/v1/me/tokens" | jq -r .secret)"
  [[ -n "$tok" && "$tok" != null ]] || fail "no access token for searcher"
  stop_pid "$started_pid"
  log "$provider: seeding $repositories repositories × $per_repo manifests"
  seed="$(python3 "$bench/search/search_seed.py" "${target[@]}" --repositories "$repositories" --orgs "$orgs" \
    --images-per-repository "$per_repo" --member searcher --member-orgs "$member_orgs")"
  log "$provider: $seed"
  start_dockyard "$p" "$data" "$work/search-$provider.log" "$@"
  pid="$started_pid"
  postmaster=""; [[ "$provider" == SQLite ]] || postmaster="$(head -n 1 "$pg_data/postmaster.pid")"
  mapfile -t paths < <(queries)
  # One query at a time, so each gets its own CPU figure: on a shared machine wall-clock latency swings with the
  # load, CPU per request much less.
  for path in "${paths[@]}"; do
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    before="$(cpu_ticks "$pid" "$postmaster")"
    line="$("$tool" api-latency "http://127.0.0.1:$p" "$tok" "$n" "$warm" "$raw/$provider-$total" "$path")"
    after="$(cpu_ticks "$pid" "$postmaster")"
    total=$((total + 1))
    echo "$line" >&2
    row "$provider: \`$(kv path "$line")\` ($(kv items "$line") items; $(kv ms_n "$line") requests; load $load)" \
        "p50 $(kv ms_p50 "$line") ms, p99 $(kv ms_p99 "$line") ms; CPU $(awk -v t="$((after - before))" -v n="$((n + warm))" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t * 1000 / hz / n }') ms per request" \
        "p99 ≤ 50 ms" "$(met "$(kv ms_p99 "$line")" 50)"
  done
  stop_pid "$pid"
  if [[ "$provider" == SQLite ]]; then size="$(du -sm "$data"/dockyard.db* | awk '{ s += $1 } END { print s }') MiB (database file with WAL)"
  else size="$(psql "${target[1]}" -Atc "SELECT pg_database_size(current_database()) / 1048576") MiB (pg_database_size)"; fi
  row "$provider: seeding (\`$seed\`); database size" "$size" "—" "—"
}

pass_sqlite() {
  search_on SQLite "$work/sqlite" --sqlite "$work/sqlite/dockyard.db" --
}

pass_pg() {
  local pg_port
  # PostgreSQL 15: a private cluster as control.sh's event-search pass starts it (loopback, trust, fsync off).
  chmod 711 "$work"
  mkdir -p "$work/pg"; chown postgres:postgres "$work/pg"; cd "$work/pg"
  runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D "$pg_data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  pg_port="$(free_port)"
  runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pg_data" -l "$work/pg/postgres.log" -w -t 60 start \
    -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
  psql "host=127.0.0.1 port=$pg_port user=postgres dbname=postgres" -qc 'CREATE DATABASE dockyard' >/dev/null
  search_on PostgreSQL "$work/pgdata-dir" --psql "host=127.0.0.1 port=$pg_port user=postgres dbname=dockyard" -- \
    Dockyard__Database__Provider=Postgres Dockyard__Database__ConnectionString="Host=127.0.0.1;Port=$pg_port;Database=dockyard;Username=postgres"
  runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pg_data" -m fast -w -t 30 stop >/dev/null
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for pass in sqlite pg; do
  log "pass $pass"
  rc=0
  ( set -euo pipefail; "pass_$pass" ) 2> >(tee "$work/pass-$pass.err" >&2) &
  wait $! || rc=$?
  sleep 0.5
  (( rc == 0 )) || row "$pass" "NOT MEASURED: $(tail -n 2 "$work/pass-$pass.err" | tr '\n|' '  ' | cut -c1-400)" "—" "—"
done

mkdir -p "$(dirname "$out")"
{
  echo "# Search at one million manifests (issue #19, item 4)"
  echo
  echo "Written by \`bench/run.sh --search\` (\`bench/search.sh\`; bench/README.md \"Search\"). Dockyard as it ships, auth on;"
  echo "$repositories repositories in $orgs organizations, search rows of $((repositories * per_repo)) manifests seeded straight into the"
  echo "database (\`bench/search/search_seed.py\`); the user searching may pull $((member_orgs * 100 / orgs)) % of them (member of $member_orgs organizations)."
  echo "Requests one at a time over loopback HTTP after $warm unmeasured ones; $n measured per query ($mode run)."
  echo "Machine: $(nproc) cores, shared with other work: load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after."
  echo
  echo "| measure | figure | target | met |"
  echo "|---|---|---|---|"
  cat "$results"
} >"$out"
log "wrote $out"
