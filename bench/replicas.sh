#!/usr/bin/env bash
# The scale-out topology (issue #19, item 6): manifest GET by tag on 3 replicas behind nginx, sharing a private
# PostgreSQL 15 and a private Ceph RGW (S3, memstore), against a single node (SQLite + filesystem) in the same run.
#
#   bench/replicas.sh              3 repetitions, 8 s wrk runs (~6 minutes after the build): bench/results/replicas.md
#   bench/replicas.sh --quick      1 repetition, 4 s runs
#   options: --reps N, --out FILE; also reachable as `bench/run.sh --replicas [options]`
#   BENCH_DOCKYARD_DLL=/path/to/dockyard.dll runs that build instead of publishing this tree (as run.sh)
#
# Every Dockyard runs with authentication off (as run.sh's comparison pass). Per repetition, alternating: the single
# node; replica 0 directly (the per-replica figure, the other two idle); all three through nginx (the documented
# config); replica 0 directly with the manifest body cache off (Dockyard:Registry:ManifestCacheBytes=0: every GET
# reads the body from S3, as before the cache). wrk: 32 connections, GET /v2/bench/app/manifests/latest. Besides req/s
# and p50/p99, CPU per request of Dockyard (all replicas), of PostgreSQL (postmaster + backends) and of radosgw over
# each run (utime+stime from /proc). Loopback only; every process is started here and stopped by its PID; temp dirs under /var/tmp.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$repo/bench"
reps=3
dur=8
warm=8
out="$bench/results/replicas.md"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) reps=1; dur=4; warm=6 ;;
    --reps) reps="$2"; shift ;;
    --out) out="$2"; shift ;;
    *) echo "replicas.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[replicas %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
fail() { echo "replicas.sh: $*" >&2; exit 1; }
for t in wrk curl python3 psql nginx ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph; do
  PATH="$PATH:/usr/sbin:/sbin" command -v "$t" >/dev/null || fail "$t is missing (scripts/install-test-deps.sh installs what the replica tests need)"
done
[[ -x /usr/lib/postgresql/15/bin/initdb ]] || fail "PostgreSQL 15 is missing (scripts/install-test-deps.sh)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export Dockyard__Auth__Enabled=false Logging__LogLevel__Default=Warning
nginx_bin="$(PATH="$PATH:/usr/sbin" command -v nginx)"

source "$bench/publish.sh"
bench_publish
source "$bench/audit-pass.sh"   # self_wrk, cpu_ticks

work="$(mktemp -d /var/tmp/dockyard-replicas.XXXXXX)"
chmod 711 "$work"   # the postgres user must reach its directory inside
pg_data="$work/pg/data"
pids=()
ceph_pids=()
cleanup() {
  set +e
  for pid in "${pids[@]}" "${ceph_pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}" "${ceph_pids[@]}"; do wait "$pid" 2>/dev/null; done
  if [[ -f "$pg_data/postmaster.pid" ]]; then
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pg_data" -m fast -w -t 30 stop >/dev/null 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() { # url seconds [pid]
  local deadline=$((SECONDS + $2))
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" == 200 ]]; do
    (( SECONDS < deadline )) || { echo "replicas.sh: $1 not ready after $2 s" >&2; return 1; }
    [[ -z "${3:-}" ]] || kill -0 "$3" 2>/dev/null || { echo "replicas.sh: the server for $1 exited" >&2; return 1; }
    sleep 0.1
  done
}
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- PostgreSQL 15 (as bench/control.sh's search pass)
pg_port="$(free_port)"
log "PostgreSQL 15 on $pg_port"
mkdir -p "$work/pg"; chown postgres:postgres "$work/pg"; cd "$work/pg"   # postgres must be able to read its cwd
runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D "$pg_data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pg_data" -l "$work/pg/postgres.log" -w -t 60 start \
  -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$work/pg -c fsync=on -c max_connections=300" >/dev/null
cd "$repo"
psql "host=127.0.0.1 port=$pg_port user=postgres dbname=postgres" -qc 'CREATE DATABASE dockyard' >/dev/null

# ---------------------------------------------------------------- Ceph RGW (as tests/Shared/CephRgwFixture.cs)
ceph_root="$work/ceph"
mkdir -p "$ceph_root"/{run,log,crash,mon,osd/osd.0,rgw}
base_port="$(python3 -c 'import random; print(random.randrange(20000, 31984, 16))')"
rgw_port=$((base_port + 15))
fsid="$(cat /proc/sys/kernel/random/uuid)"
cat >"$ceph_root/ceph.conf" <<EOF
[global]
fsid = $fsid
mon_host = v2:127.0.0.1:$base_port
mon_initial_members = a
public_addr = 127.0.0.1
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
ms_mon_client_mode = crc
ms_bind_msgr1 = false
ms_bind_msgr2 = true
ms_bind_port_min = $((base_port + 1))
ms_bind_port_max = $((base_port + 14))
osd_pool_default_size = 1
osd_pool_default_min_size = 1
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
osd_pool_default_pg_autoscale_mode = off
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
mon_data_avail_warn = 1
mon_data_avail_crit = 0
run_dir = $ceph_root/run
log_file = $ceph_root/log/\$name.log
admin_socket = $ceph_root/run/\$name.asok
pid_file = $ceph_root/run/\$name.pid
crash_dir = $ceph_root/crash
keyring = $ceph_root/keyring
[mon]
mon_data = $ceph_root/mon/\$name
[osd]
osd_data = $ceph_root/osd/\$name
osd_objectstore = memstore
memstore_device_bytes = 2147483648
osd_max_object_name_len = 256
osd_max_object_namespace_len = 64
[client.rgw]
rgw_frontends = beast endpoint=127.0.0.1:$rgw_port
rgw_data = $ceph_root/rgw
EOF
c=(-c "$ceph_root/ceph.conf")
export CEPH_CONF="$ceph_root/ceph.conf"
log "Ceph (mon, memstore OSD, radosgw on $rgw_port)"
monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$base_port]" "$ceph_root/monmap" >>"$ceph_root/log/setup.out" 2>&1 \
  || { cat "$ceph_root/log/setup.out" >&2; fail "monmaptool failed"; }
ceph-mon "${c[@]}" --mkfs -i a --monmap "$ceph_root/monmap" >>"$ceph_root/log/setup.out" 2>&1 \
  || { cat "$ceph_root/log/setup.out" >&2; fail "ceph-mon --mkfs failed"; }
ceph-mon "${c[@]}" -f -i a >>"$ceph_root/log/mon.out" 2>&1 & ceph_pids+=($!)
osd_id="$(timeout 120 ceph "${c[@]}" --connect-timeout 30 osd create 2>>"$ceph_root/log/setup.out")" \
  || { cat "$ceph_root/log/setup.out" >&2; fail "ceph osd create failed"; }
ceph-osd "${c[@]}" --mkfs -i "$osd_id" >>"$ceph_root/log/setup.out" 2>&1 || { cat "$ceph_root/log/setup.out" >&2; fail "ceph-osd --mkfs failed"; }
ceph-osd "${c[@]}" -f -i "$osd_id" >>"$ceph_root/log/osd.out" 2>&1 & ceph_pids+=($!)
radosgw "${c[@]}" -f -n client.rgw >>"$ceph_root/log/rgw.out" 2>&1 & rgw_pid=$!; ceph_pids+=("$rgw_pid")
deadline=$((SECONDS + 180))
until curl -s -o /dev/null "http://127.0.0.1:$rgw_port/"; do
  (( SECONDS < deadline )) || { tail -n 20 "$ceph_root"/log/*.log >&2; fail "radosgw did not answer within 180 s"; }
  sleep 0.5
done
s3_key="benchaccess$RANDOM"; s3_secret="$(head -c 24 /dev/urandom | base64 | tr -dc A-Za-z0-9)"
radosgw-admin "${c[@]}" user create --uid=dockyard --display-name="Dockyard bench" --access-key="$s3_key" --secret="$s3_secret" >/dev/null

# ---------------------------------------------------------------- Dockyard: single node, 3 replicas, nginx
single_port="$(free_port)"
ports=("$(free_port)" "$(free_port)" "$(free_port)")
lb_port="$(free_port)"
replica_env=(
  Dockyard__Database__Provider=Postgres
  "Dockyard__Database__ConnectionString=Host=127.0.0.1;Port=$pg_port;Database=dockyard;Username=postgres;Maximum Pool Size=90"
  Dockyard__Storage__Driver=S3
  "Dockyard__Storage__S3__Endpoint=http://127.0.0.1:$rgw_port"
  Dockyard__Storage__S3__Bucket=dockyard-bench
  Dockyard__Storage__S3__Prefix=registry
  "Dockyard__Storage__S3__AccessKey=$s3_key"
  "Dockyard__Storage__S3__SecretKey=$s3_secret"
  Dockyard__Storage__S3__ForcePathStyle=true
  Dockyard__Storage__S3__CreateBucket=true
  "Dockyard__Secrets__KeyFile=$work/secrets.key"
  "Dockyard__PublicUrl=http://127.0.0.1:$lb_port"
  Dockyard__Audit__TrustedProxies__0=127.0.0.1
)
declare -A RPID
start_replica() { # index migrate [extra env...]
  local i="$1" migrate="$2"; shift 2
  env "${replica_env[@]}" Dockyard__Database__MigrateOnStart="$migrate" "$@" \
    "${dockyard[@]}" serve --urls "http://127.0.0.1:${ports[$i]}" --data "$work/replica$i" >>"$work/replica$i.log" 2>&1 &
  RPID[$i]=$!; pids+=("${RPID[$i]}")
  wait_ready "http://127.0.0.1:${ports[$i]}/healthz" 180 "${RPID[$i]}" || { grep -v '^ *at ' "$work/replica$i.log" | tail -n 30 >&2; exit 1; }
}
stop_replica() { kill "${RPID[$1]}" 2>/dev/null || true; wait "${RPID[$1]}" 2>/dev/null || true; }

log "single node on $single_port; replicas on ${ports[*]}; nginx on $lb_port"
"${dockyard[@]}" serve --urls "http://127.0.0.1:$single_port" --data "$work/single" >"$work/single.log" 2>&1 &
single_pid=$!; pids+=("$single_pid")
wait_ready "http://127.0.0.1:$single_port/v2/" 180 "$single_pid" || { tail -n 20 "$work/single.log" >&2; exit 1; }
start_replica 0 true   # migrates; the others start once it has
start_replica 1 false
start_replica 2 false

mkdir -p "$work/nginx"
servers="$(for p in "${ports[@]}"; do echo "    server 127.0.0.1:$p max_fails=1 fail_timeout=10s;"; done)"
# The documented block (docs/operations.md, "N replicas"), loopback and without TLS.
cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
master_process off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/client_body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  upstream dockyard {
$servers
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$lb_port;
    client_max_body_size 0;
    large_client_header_buffers 4 32k;
    proxy_request_buffering off;
    proxy_buffering off;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host \$http_host;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto \$scheme;
    proxy_connect_timeout 2s;
    proxy_read_timeout 900s;
    proxy_send_timeout 900s;
    proxy_next_upstream error timeout;
    proxy_next_upstream_tries 3;
    location / { proxy_pass http://dockyard; }
  }
}
EOF
"$nginx_bin" -p "$work/nginx/" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" & nginx_pid=$!; pids+=("$nginx_pid")
wait_ready "http://127.0.0.1:$lb_port/v2/" 20 "$nginx_pid"

log "seeding bench/app on the single node and through nginx"
"$tool" seed "http://127.0.0.1:$single_port" bench/app 0 >/dev/null
"$tool" seed "http://127.0.0.1:$lb_port" bench/app 0 >/dev/null
accept='application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'
cat >"$work/get.lua" <<EOF
wrk.method = "GET"
wrk.headers["Accept"] = "$accept"
EOF
path=/v2/bench/app/manifests/latest

raw="$work/raw.tsv"; : >"$raw"
ticks_of() { local sum=0 p; for p in "$@"; do sum=$((sum + $(cpu_ticks "$p"))); done; echo "$sum"; }
# PostgreSQL's CPU: the postmaster and its children (one backend per connection), summed; exited backends are not counted.
pg_ticks() {
  local pm p; pm="$(head -n 1 "$pg_data/postmaster.pid")"
  for p in "$pm" $(pgrep -P "$pm"); do cat "/proc/$p/stat" 2>/dev/null || true; done | awk '{ s += $14 + $15 } END { print s + 0 }'
}
measure() { # name url seconds pid...: one wrk run → raw line "name rep rps p50 p99 dockyard_cpu_us radosgw_cpu_us load1 postgres_cpu_us"
  local name="$1" url="$2" seconds="$3"; shift 3
  local d0 r0 p0 d1 r1 p1 res n hz
  hz="$(getconf CLK_TCK)"
  d0="$(ticks_of "$@")"; r0="$(cpu_ticks "$rgw_pid")"; p0="$(pg_ticks)"
  res="$(self_wrk 32 "$work/get.lua" "$url$path" "$seconds")" || return 1
  d1="$(ticks_of "$@")"; r1="$(cpu_ticks "$rgw_pid")"; p1="$(pg_ticks)"
  read -r rps p50 p99 _ <<<"$res"
  n="$(python3 -c "print(max(1, round($rps * $seconds)))")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rep" "$rps" "$p50" "$p99" \
    "$(python3 -c "print(round(($d1 - $d0) / $hz * 1e6 / $n, 1))")" \
    "$(python3 -c "print(round(($r1 - $r0) / $hz * 1e6 / $n, 1))")" "$(cut -d' ' -f1 /proc/loadavg)" \
    "$(python3 -c "print(round(max(0, $p1 - $p0) / $hz * 1e6 / $n, 1))")" >>"$raw"
}

log "warm-up (${warm} s each)"
rep=0
self_wrk 32 "$work/get.lua" "http://127.0.0.1:$single_port$path" "$warm" >/dev/null
for p in "${ports[@]}"; do self_wrk 32 "$work/get.lua" "http://127.0.0.1:$p$path" "$warm" >/dev/null; done

for rep in $(seq 1 "$reps"); do
  log "repetition $rep/$reps"
  measure single "http://127.0.0.1:$single_port" "$dur" "$single_pid"
  measure replica "http://127.0.0.1:${ports[0]}" "$dur" "${RPID[0]}" "${RPID[1]}" "${RPID[2]}"
  measure nginx "http://127.0.0.1:$lb_port" "$dur" "${RPID[0]}" "${RPID[1]}" "${RPID[2]}"
done

# Replica 0 again with the cache off: what every GET cost before (the body read from S3 each time).
log "replica 0 restarted with Dockyard:Registry:ManifestCacheBytes=0"
stop_replica 0
start_replica 0 false Dockyard__Registry__ManifestCacheBytes=0
self_wrk 32 "$work/get.lua" "http://127.0.0.1:${ports[0]}$path" "$warm" >/dev/null
for rep in $(seq 1 "$reps"); do
  measure replica_nocache "http://127.0.0.1:${ports[0]}" "$dur" "${RPID[0]}" "${RPID[1]}" "${RPID[2]}"
done

mkdir -p "$(dirname "$out")" "$bench/results/raw"
cp "$raw" "$bench/results/raw/replicas.tsv"
python3 - "$raw" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$reps" "$dur" "$(git -C "$repo" rev-parse --short HEAD)" >"$out" <<'PY'
import sys, statistics
raw, before, after, reps, dur, commit = sys.argv[1:]
rows = [l.rstrip("\n").split("\t") for l in open(raw) if l.strip()]
by = {}
for r in rows:
    by.setdefault(r[0], []).append(r)
def med(name, i):
    return statistics.median(float(r[i]) for r in by.get(name, [])) if by.get(name) else float("nan")
names = [("single", "single node (SQLite + filesystem)"), ("replica", "one replica directly (PostgreSQL + S3), cache on"),
         ("nginx", "3 replicas through nginx"), ("replica_nocache", "one replica directly, cache off (ManifestCacheBytes=0)")]
print("# Scale-out topology: manifest GET by tag (bench/replicas.sh)\n")
print(f"commit {commit}; {reps} repetition(s) of {dur} s wrk runs, 32 connections, auth off everywhere; "
      f"load average before {before}, after {after} (2 cores, shared with other builds).\n")
print("| setup | req/s (median) | p50 ms | p99 ms | Dockyard CPU µs/req | PostgreSQL CPU µs/req | radosgw CPU µs/req | load1 during |")
print("|---|---|---|---|---|---|---|---|")
for key, label in names:
    if key in by:
        print(f"| {label} | {med(key,2):.0f} | {med(key,3):.2f} | {med(key,4):.2f} | {med(key,5):.0f} | {med(key,8):.0f} | {med(key,6):.0f} | {med(key,7):.1f} |")
print()
s, r, n, c = med("single", 2), med("replica", 2), med("nginx", 2), med("replica_nocache", 2)
print(f"- per replica / single node: **{r / s:.2f}×** (target ≥ 0.8×); through nginx / single node: {n / s:.2f}×")
print(f"- cache on / cache off, one replica: {r / c:.1f}×")
print("\nRaw rows (name, rep, req/s, p50, p99, Dockyard µs/req, radosgw µs/req, load1, PostgreSQL µs/req): bench/results/raw/replicas.tsv")
PY
cat "$out"
log "wrote $out"
