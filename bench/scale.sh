#!/usr/bin/env bash
# The scale pass (issue #19 item 3), run by `bench/run.sh --scale`: an installation filled by `dockyard-bench scale-gen`
# (100,000 repositories in 1,000 organizations, 1,000,000 manifests, ~2,000,000 tags, 10,000,000 audit entries,
# 1,000 users and teams at --factor 1) measured against an empty one, both Dockyard as it ships (bench/publish.sh).
#
#   bench/run.sh --scale                    factor 1 on SQLite (~20–40 minutes on 2 busy cores, ~25 GB of disk)
#   bench/run.sh --scale --quick            factor 0.01 (1,000 repositories, 10,000 manifests): a couple of minutes
#   bench/run.sh --scale --factor F         any factor in (0, 10]; 0.001 is the CI-sized smoke of the generator
#   bench/run.sh --scale --postgres         PostgreSQL instead of SQLite: a throw-away cluster (initdb, loopback, temp dir)
#   options: --out FILE (default bench/results/scale.md), --keep (leave the work directory for inspection),
#            --rehash (also `dockyard fsck` re-hashing every blob: hours at factor 1 on a busy machine)
#
# Measured: generator time, database and storage size, start-up (restart) time, manifest GET by tag (wrk, 16
# connections, tags spread over the installation vs the empty one's single tag), catalog page and the 10,000-tag
# repository's tags list, repository list API and UI page for a user who sees 10% of the repositories (team grants),
# audit list with filters and export rate, fsck, audit chain verification, and garbage collection (mark/sweep). Every
# figure is recorded with the load average: other work on this machine moves latencies, far less sizes and counts.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$repo/bench"
factor=1
out="$bench/results/scale.md"
postgres=""
keep=""
rehash=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) factor=0.01 ;;
    --factor) factor="$2"; shift ;;
    --postgres) postgres=1 ;;
    --out) out="$2"; shift ;;
    --keep) keep=1 ;;
    --rehash) rehash=1 ;;
    *) echo "scale.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[scale %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
# A failing step under set -e (a curl -f, a tool) says which one.
trap 'echo "scale.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
for cmd in wrk curl jq python3 sqlite3; do command -v "$cmd" >/dev/null || { echo "scale.sh: $cmd is required (apt-get install $cmd)" >&2; exit 1; }; done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 Logging__LogLevel__Default=Warning
source "$bench/publish.sh"
bench_publish

work="$(mktemp -d /var/tmp/dockyard-scale.XXXXXX)"
chmod 700 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n "$pgdir" ]]; then as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true; fi
  if [[ -n "$keep" ]]; then log "kept $work ${pgdir:+and $pgdir}"; else rm -rf "$work" ${pgdir:+"$pgdir"}; fi
}
trap cleanup EXIT

admin_password='Bench-Scale-Admin-1'
viewer_password='Bench-Scale-Viewer-1'
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
rows=()   # "| measure | empty | scaled | target | load |" lines
row() { rows+=("| $1 | $2 | $3 | $4 | $(load) |"); printf '%s\n' "${rows[-1]}" >>"$work/rows.md"; }   # rows.md: what a failed run measured

# ---------------------------------------------------------------- PostgreSQL (optional): a private cluster on loopback
# initdb refuses root: the cluster belongs to the postgres OS user, in its own temp directory (as PostgresFixture does).
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
pgdir=""
as_pg() { runuser -u postgres -- "$@"; }
if [[ -n "$postgres" ]]; then
  [[ -x "$pgbin/initdb" ]] || { echo "scale.sh: --postgres needs PostgreSQL's server binaries (apt-get install postgresql-15)" >&2; exit 1; }
  pgdir="$(mktemp -d /var/tmp/dockyard-scale-pg.XXXXXX)"; chown postgres "$pgdir"; chmod 700 "$pgdir"
  pg_port="$(free_port)"
  as_pg "$pgbin/initdb" -D "$pgdir/data" -A trust -U dockyard -E UTF8 --locale=C.UTF-8 >/dev/null
  as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -o "-k $pgdir -c listen_addresses=127.0.0.1 -p $pg_port -c shared_buffers=512MB" -l "$pgdir/pg.log" -w start >/dev/null
  for db in empty scaled; do "$pgbin/createdb" -h 127.0.0.1 -p "$pg_port" -U dockyard "$db"; done
fi
db_env() { # installation → env assignments selecting its database
  [[ -z "$postgres" ]] && return 0
  echo "Dockyard__Database__Provider=Postgres"
  echo "Dockyard__Database__ConnectionString=Host=127.0.0.1;Port=$pg_port;Username=dockyard;Database=$1"
}
pg_connection() { echo "Host=127.0.0.1;Port=$pg_port;Username=dockyard;Database=$1;Timeout=60;Command Timeout=0"; }

# ---------------------------------------------------------------- installations
start() { # name auth(true|false) → sets url, pid
  local name="$1" port deadline
  port="$(free_port)"; url="http://127.0.0.1:$port"
  # shellcheck disable=SC2046
  env DOCKYARD_ADMIN_PASSWORD="$admin_password" Dockyard__Auth__Enabled="$2" $(db_env "$name") \
    "${dockyard[@]}" serve --urls "$url" --data "$work/$name" >>"$work/$name.log" 2>&1 &
  pid=$!; pids+=("$pid")
  deadline=$((SECONDS + 600))
  until curl -sf -o /dev/null "$url/healthz"; do
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$work/$name.log" >&2; exit 1; }
    (( SECONDS < deadline )) || { echo "scale.sh: $name not ready" >&2; exit 1; }
    sleep 0.1
  done
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
cli() { # name args... → the dockyard CLI on that installation
  local name="$1"; shift
  # shellcheck disable=SC2046
  env $(db_env "$name") "${dockyard[@]}" "$@" --data "$work/$name"
}
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

for name in empty scaled; do
  log "$name: bootstrap (schema, administrator, the viewer user)"
  start "$name" true; stop
  printf '%s\n' "$viewer_password" | cli "$name" user add viewer --password-stdin >/dev/null
done
# The empty installation holds one image so that a manifest GET has something to answer.
start empty false
"$tool" seed "$url" bench/app 0 >/dev/null
stop

log "scaled: generating at factor $factor"
load_gen="$(load)"
t0="$(date +%s%N)"
"$tool" scale-gen "$work/scaled" "$factor" viewer ${postgres:+"$(pg_connection scaled)"} >"$work/gen.txt"
gen_ms="$(ms_since "$t0")"
cat "$work/gen.txt" >&2
kv() { sed -n "s/^$1=\([^ ]*\).*/\1/p" "$work/gen.txt"; }
hot="$(kv hot_repository)"; hot_tags="$(sed -n 's/.*hot_tags=\([0-9]*\).*/\1/p' "$work/gen.txt")"
manifests="$(kv manifests)"; repositories="$(kv repositories)"

# The generator writes the registry tables, not the search index: without this the first start would index every
# repository in the background (reading each image's facts from storage) while the reads below are measured.
log "scaled: search-index rebuild"
t0="$(date +%s%N)"
cli scaled search-index rebuild >"$work/rebuild.txt"
rebuild_ms="$(ms_since "$t0")"

db_bytes() { # name → database size in bytes
  if [[ -n "$postgres" ]]; then
    psql -h 127.0.0.1 -p "$pg_port" -U dockyard -d "$1" -Atc "SELECT pg_database_size(current_database())"
  else
    sqlite3 "$work/$1/dockyard.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    stat -c %s "$work/$1/dockyard.db"
  fi
}
mib() { awk -v b="$1" 'BEGIN { printf "%.0f MiB", b / 1048576 }'; }
scaled_db="$(db_bytes scaled)"; empty_db="$(db_bytes empty)"
storage_bytes="$(du -sb "$work/scaled/storage" | cut -f1)"; storage_files="$(find "$work/scaled/storage" -type f | wc -l)"
row "generator: $(kv rows) rows, $storage_files files (load during generation: $load_gen)" "—" "$(awk -v ms="$gen_ms" 'BEGIN { printf "%.0f s", ms / 1000 }')" "minutes"
row "database size" "$(mib "$empty_db")" "$(mib "$scaled_db")" "report"
row "database size per million manifests" "—" "$(awk -v b="$((scaled_db - empty_db))" -v m="$manifests" 'BEGIN { printf "%.0f MiB", b / 1048576 / (m / 1e6) }')" "report"
row "storage (stand-in blobs of 0.5–4 KiB, links)" "—" "$(mib "$storage_bytes")" "report"
row "\`dockyard search-index rebuild\` ($(tail -n 1 "$work/rebuild.txt"))" "—" "$(awk -v ms="$rebuild_ms" 'BEGIN { printf "%.0f s", ms / 1000 }')" "report"

# ---------------------------------------------------------------- start-up with the large database
startup() { # name → median ms of 3 restarts to the first 200 on /healthz
  local port t=()
  for _ in 1 2 3; do
    port="$(free_port)"
    # shellcheck disable=SC2046
    t+=("$(env DOCKYARD_ADMIN_PASSWORD="$admin_password" $(db_env "$1") "$tool" coldstart "http://127.0.0.1:$port/healthz" "${dockyard[@]}" serve --urls "http://127.0.0.1:$port" --data "$work/$1")")
  done
  printf '%s\n' "${t[@]}" | sort -n | sed -n 2p
}
log "start-up times"
row "start-up to first 200 (restart, median of 3)" "$(startup empty) ms" "$(startup scaled) ms" "≤ 1500 ms"

# ---------------------------------------------------------------- registry reads (authentication off, as the comparison pass)
accept='application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'
wrk_paths() { # lua file, paths...
  local file="$1"; shift
  { echo "paths = {"; printf '  "%s",\n' "$@"; echo "}"
    echo "i = 0"
    echo "request = function() i = i + 1; return wrk.format(\"GET\", paths[(i % #paths) + 1], { [\"Accept\"] = \"$accept\" }) end"; } >"$file"
}
wrk_p() { # connections seconds lua url → "rps p50 p99"
  local output
  output="$(wrk -t2 -c"$1" -d"$2s" --timeout 5s --latency -s "$3" "$4")"
  if grep -qE 'Non-2xx|Socket errors' <<<"$output"; then echo "scale.sh: wrk saw errors on $4:" >&2; echo "$output" >&2; exit 1; fi
  awk 'function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "Requests/sec:" { rps = $2 } $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    END { printf "%.0f %.2f %.2f\n", rps, p50, p99 }' <<<"$output"
}
dur=10; [[ "$factor" == 0.0* ]] && dur=3
# Tags spread over the whole installation (1,000 repositories, every tenth organization's first few): each GET a
# different repository, so no single row stays hot in a cache.
paths=()
for ((i = 0; i < 1000; i++)); do
  r=$(( (i * 97 + 1) % repositories )); (( r == 0 )) && r=1
  paths+=("/v2/$(printf 'org%04d' $((r / 100)))/svc-$(printf '%03d' $((r % 100)))/manifests/latest")
done
wrk_paths "$work/scaled.lua" "${paths[@]}"
wrk_paths "$work/empty.lua" /v2/bench/app/manifests/latest
wrk_paths "$work/one.lua" /v2/org0003/svc-001/manifests/latest
wrk_paths "$work/catalog.lua" "/v2/_catalog?n=100" "/v2/_catalog?n=100&last=org0500/svc-050"
wrk_paths "$work/hot.lua" "/v2/$hot/tags/list"
wrk_paths "$work/hotpage.lua" "/v2/$hot/tags/list?n=100" "/v2/$hot/tags/list?n=100&last=1.50.0"
declare -A R
for name in empty scaled; do
  log "$name: registry reads"
  start "$name" false
  wrk_p 16 3 "$work/$name.lua" "$url" >/dev/null   # warm-up (JIT, caches)
  R[$name-get]="$(wrk_p 16 "$dur" "$work/$name.lua" "$url")"
  if [[ $name == scaled ]]; then
    R[one-get]="$(wrk_p 16 "$dur" "$work/one.lua" "$url")"
    wrk_p 4 2 "$work/catalog.lua" "$url" >/dev/null
    R[catalog]="$(wrk_p 4 "$dur" "$work/catalog.lua" "$url")"
    wrk_p 4 2 "$work/hot.lua" "$url" >/dev/null
    R[hot]="$(wrk_p 4 "$dur" "$work/hot.lua" "$url")"
    R[hotpage]="$(wrk_p 4 "$dur" "$work/hotpage.lua" "$url")"
    n="$(curl -sf "$url/v2/$hot/tags/list" | jq '.tags | length')"
    [[ "$n" == "$hot_tags" ]] || { echo "scale.sh: $hot lists $n tags, expected $hot_tags" >&2; exit 1; }
    rss="$(awk '$1 == "VmHWM:" { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")"
  fi
  stop
done
f() { awk -v i="$2" '{ print $i }' <<<"$1"; }
row "manifest GET by tag, 16 connections: req/s" "$(f "${R[empty-get]}" 1)" "$(f "${R[scaled-get]}" 1)" "report"
row "manifest GET by tag, 1,000 tags in 1,000 repositories: p99" "$(f "${R[empty-get]}" 3) ms" "$(f "${R[scaled-get]}" 3) ms ($(awk -v a="$(f "${R[empty-get]}" 3)" -v b="$(f "${R[scaled-get]}" 3)" 'BEGIN { printf "%.2f×", b / a }'))" "≤ 1.5× empty"
row "manifest GET by tag, one tag (as the empty one), 16 connections: p99" "$(f "${R[empty-get]}" 3) ms" "$(f "${R[one-get]}" 3) ms ($(awk -v a="$(f "${R[empty-get]}" 3)" -v b="$(f "${R[one-get]}" 3)" 'BEGIN { printf "%.2f×", b / a }'), $(f "${R[one-get]}" 1) req/s)" "≤ 1.5× empty"
row "catalog page (n=100), 4 connections: p99" "—" "$(f "${R[catalog]}" 3) ms ($(f "${R[catalog]}" 1) req/s)" "≤ 10 ms"
row "tags list, $hot_tags-tag repository (all tags), 4 connections: p99" "—" "$(f "${R[hot]}" 3) ms ($(f "${R[hot]}" 1) req/s)" "≤ 10 ms"
row "tags list, $hot_tags-tag repository (n=100 pages): p99" "—" "$(f "${R[hotpage]}" 3) ms ($(f "${R[hotpage]}" 1) req/s)" "≤ 10 ms"
row "peak RSS of the scaled server after the reads" "—" "$rss MiB" "report"

# ---------------------------------------------------------------- the 10% user, audit (authentication on)
kvl() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$2"; }
n_api=200; n_page=100; [[ "$factor" == 0.0* ]] && { n_api=50; n_page=30; }
for name in empty scaled; do
  log "$name: repository list for the viewer, audit queries"
  start "$name" true
  vtoken="$(curl -sf -u "viewer:$viewer_password" -H 'Content-Type: application/json' -d '{"name":"bench-scale"}' "$url/api/v1/me/tokens" | jq -r .secret)"
  atoken="$(curl -sf -u "admin:$admin_password" -H 'Content-Type: application/json' -d '{"name":"bench-scale"}' "$url/api/v1/me/tokens" | jq -r .secret)"
  total="$(curl -sf -H "Authorization: Bearer $vtoken" "$url/api/v1/repositories?pageSize=1" | jq .total)"
  [[ $name == empty ]] || [[ "$total" == $((repositories / 10)) ]] || { echo "scale.sh: the viewer sees $total repositories, expected $((repositories / 10))" >&2; exit 1; }
  api="$("$tool" api-latency "$url" "$vtoken" "$n_api" 20 "$work/$name-api" /api/v1/repositories "/api/v1/repositories?page=100" "/api/v1/repositories?q=svc-04")"
  page="$("$tool" page-latency "$url" viewer "$viewer_password" "$n_page" 5 "$work/$name-page" /repositories "/repositories?q=svc-04")"
  audit="$("$tool" api-latency "$url" "$atoken" "$n_api" 10 "$work/$name-audit" "/api/v1/audit?limit=100" \
    "/api/v1/audit?action=registry.manifest.push&repository=org0003/svc-042&limit=100" "/api/v1/audit?actor=user0007&outcome=denied&limit=100" \
    "/api/v1/audit?from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z&action=auth.&limit=100")"
  for kind in api page audit; do
    i=0
    while read -r line; do
      R[$name-$kind-$i]="$(kvl ms_p99 "$line") ms"
      [[ $kind != api ]] || R[$name-$kind-$i]+=" ($(kvl items "$line") items)"
      R[path-$kind-$i]="$(kvl path "$line")"
      i=$((i + 1))
    done <<<"${!kind}"
  done
  if [[ $name == scaled ]]; then
    t0="$(date +%s%N)"
    bytes="$(curl -sf -H "Authorization: Bearer $atoken" "$url/api/v1/audit/export?format=csv" | wc -c)"
    export_ms="$(ms_since "$t0")"
  fi
  stop
done
for i in 0 1 2; do row "repository list API (viewer, 10% visible) \`${R[path-api-$i]}\`: p99" "${R[empty-api-$i]}" "${R[scaled-api-$i]}" "≤ 100 ms"; done
for i in 0 1; do row "repository list UI (viewer) \`${R[path-page-$i]}\`: p99" "${R[empty-page-$i]}" "${R[scaled-page-$i]}" "≤ 100 ms"; done
for i in 0 1 2 3; do row "audit list (administrator) \`${R[path-audit-$i]}\`: p99" "${R[empty-audit-$i]}" "${R[scaled-audit-$i]}" "report"; done
audit_entries="$(kv audit_entries)"
row "audit export over the API (csv, all $audit_entries+ entries)" "—" "$(awk -v ms="$export_ms" -v n="$audit_entries" -v b="$bytes" 'BEGIN { printf "%.0f s, %.0f entries/s, %.0f MB/s", ms / 1000, n / (ms / 1000), b / 1e6 / (ms / 1000) }')" "report"

# ---------------------------------------------------------------- offline maintenance on the scaled installation
timed() { # label command... → runs it, stderr lines timestamped (ms since start) into $work/label.err; sets took_ms and rc
  local label="$1" t0; shift
  t0="$(date +%s%N)"
  set +e
  "$@" >"$work/$label.out" 2> >(while IFS= read -r l; do echo "$(ms_since "$t0") $l"; done >"$work/$label.err")
  rc=$?
  set -e
  took_ms="$(ms_since "$t0")"
  sleep 0.2
}
log "scaled: audit verify"
timed verify cli scaled audit verify
row "\`dockyard audit verify\` (hash chain)" "—" "$((took_ms / 1000)) s, exit $rc: $(tail -n 1 "$work/verify.out")" "exit 0"
log "scaled: fsck --no-verify-digests"
timed fsck cli scaled fsck --no-verify-digests
row "\`dockyard fsck --no-verify-digests\`" "—" "$((took_ms / 1000)) s, exit $rc: $(tail -n 1 "$work/fsck.out")" "exit 0"
[[ $rc == 0 ]] || head -n 20 "$work/fsck.out" >&2
if [[ -n "$rehash" ]]; then
  log "scaled: fsck (re-hashing every blob)"
  timed fsckfull cli scaled fsck
  row "\`dockyard fsck\` (re-hashes every blob)" "—" "$((took_ms / 1000)) s, exit $rc: $(tail -n 1 "$work/fsckfull.out")" "exit 0"
fi
log "scaled: garbage collection"
timed gc cli scaled gc --grace 1h
phase_ms() { awk -v p="gc: $1:" 'index($0, p) { print $1; exit }' "$work/gc.err"; }
links_at="$(phase_ms links)"; blobs_at="$(phase_ms blobs)"
row "\`dockyard gc\` (mark: until the blob sweep starts; sweep: the rest)" "—" "$((took_ms / 1000)) s total, mark ≈ $(( ${blobs_at:-0} / 1000 )) s, sweep ≈ $(( (took_ms - ${blobs_at:-0}) / 1000 )) s, exit $rc: $(tail -n 1 "$work/gc.out")" "report"
log "scaled: fsck --no-verify-digests after gc"
timed fsckafter cli scaled fsck --no-verify-digests
row "\`dockyard fsck --no-verify-digests\` after gc" "—" "$((took_ms / 1000)) s, exit $rc: $(tail -n 1 "$work/fsckafter.out")" "exit 0"

# ---------------------------------------------------------------- report
mkdir -p "$(dirname "$out")"
{
  echo "# Scale pass (issue #19): an installation of $repositories repositories vs an empty one"
  echo
  echo "factor=$factor database=$([[ -n $postgres ]] && echo "PostgreSQL $(psql --version | awk '{ print $3 }')" || echo SQLite) dur=${dur}s"
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ) commit=$(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- src || echo '+dirty')"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') x $(nproc); mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2/1048576 }' /proc/meminfo)"
  echo
  echo "Generated: $(tr '\n' ' ' <"$work/gen.txt")"
  echo
  echo "| measure | empty | scaled | target | load avg (1/5/15 min) at the end |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} >"$out"
cat "$out"
log "wrote $out"
