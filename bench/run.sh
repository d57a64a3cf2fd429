#!/usr/bin/env bash
# Dockyard vs CNCF Distribution (Debian docker-registry 2.8.2), same machine, same run.
#
#   bench/run.sh            full run: 3 repetitions, 10 s wrk runs, 256 MiB blobs (~10 minutes)
#   bench/run.sh --quick    1 repetition, shorter runs and smaller sizes (~2 minutes)
#   bench/run.sh --smoke    1 repetition, tiny sizes, 1 s wrk runs: checks the harness works (seconds after the build)
#   bench/run.sh --audit    only the pull-audit pass (manifest GET, Dockyard:Audit:Pulls on vs off), 3 repetitions
#   bench/run.sh --auth     only the token-auth pass (manifest GET with a bearer token vs auth off), 3 repetitions
#   bench/run.sh --readpath only the read-path ceiling pass (issue #19 item 5): nginx serving the manifest's bytes vs
#                           Dockyard's manifest GET by tag with token auth on, same run, 5 repetitions (bench/readpath-pass.sh)
#   bench/run.sh --pulls    only the pull-count pass (manifest GET, Dockyard:Ui:PullCounts on vs off), 5 repetitions
#   bench/run.sh --trust    only the content-trust pass, one server: manifest GET under a pull policy vs none (3 repetitions),
#                           and verification of an image with 5 signatures, cold and cached → bench/results/trust.md
#                           (and its summary in latest.md's "Content trust" section)
#   --quick with --audit, --auth, --pulls or --trust: 2 repetitions (and fewer samples in the trust pass) instead of the full pass
#   bench/run.sh --writes   only the write rows (issue #19): small blobs over 1/8/32 connections, manifest PUT with tag
#                           sequential and over 8 connections, against Dockyard on SQLite, Distribution and Dockyard on a
#                           private durable PostgreSQL 15, 3 repetitions (--quick: 1, 200 blobs/tags) → bench/results/writes.md
#   bench/run.sh --control  the control-plane passes instead (issue #16): runs bench/control.sh with the remaining options
#   bench/run.sh --stacks   the stacks passes instead (issue #17): runs bench/stacks.sh with the remaining options
#   bench/run.sh --search   search at one million manifests (issue #19): runs bench/search.sh with the remaining options
#   bench/run.sh --replicas the scale-out topology instead (issue #19): runs bench/replicas.sh → bench/results/replicas.md
#   bench/run.sh --scale    the scale pass instead (issue #19): bench/scale.sh with the remaining options (--quick,
#                           --factor F, --postgres); not part of CI, writes bench/results/scale.md
#   options: --reps N, --out FILE (default bench/results/latest.md; smoke writes to bench/results/raw/smoke.md)
#   BENCH_DOCKYARD_DLL=/path/to/dockyard.dll runs that build instead of building this tree (A/B runs of two builds)
#
# Both servers run on loopback only, on filesystem storage in fresh temp dirs, without auth and without access
# logs. Every measurement alternates Dockyard, Distribution, Dockyard, Distribution, ... . The machine's ceilings
# (SHA-256, disk write with fsync, loopback HTTP through nginx) are measured in the same run.
# Installs what it lacks with apt only (wrk, nginx-light, skopeo, docker-registry, python3, curl, jq).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$repo/bench"
mode=full
reps=""
out=""
quick=""
# The control-plane passes are their own harness (two dockerd in a swarm, containers): never part of the runs below.
if [[ "${1:-}" == --control ]]; then shift; exec "$bench/control.sh" "$@"; fi
if [[ "${1:-}" == --stacks ]]; then shift; exec "$bench/stacks.sh" "$@"; fi
if [[ "${1:-}" == --search ]]; then shift; exec "$bench/search.sh" "$@"; fi
# ---- issue #19 item 6 (replicas): the scale-out topology is its own harness (PostgreSQL 15, Ceph RGW, 3 replicas, nginx)
if [[ "${1:-}" == --replicas ]]; then shift; exec "$bench/replicas.sh" "$@"; fi
# ---- end of the replicas block
# ---- scale pass (issue #19): its own harness, a generated installation of 100,000 repositories (bench/scale.sh)
if [[ "${1:-}" == --scale ]]; then shift; exec "$bench/scale.sh" "$@"; fi
# ---- end of the scale pass block
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) mode=smoke ;;
    --quick) quick=1 ;;
    --audit) mode=audit ;;
    --auth) mode=auth ;;
    --pulls) mode=pullcount ;;
    --readpath) mode=readpath ;;   # issue #19 item 5 (bench/readpath-pass.sh)
    --trust) mode=trust ;;
    --writes) mode=writes ;;
    --reps) reps="$2"; shift ;;
    --out) out="$2"; shift ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
# --quick alone is the quick comparison run; with a self pass it shortens that pass.
if [[ -n $quick ]]; then
  case "$mode" in
    full) mode=quick ;;
    audit|auth|pullcount|trust|readpath) : "${reps:=2}" ;;
    writes) : "${reps:=1}"; writes_quick=1 ;;
  esac
fi

case "$mode" in
  full)  : "${reps:=3}"; dur=10; warm=10; blob_mib=256; chunk_mib=8; small_n=1000; tags_n=2000; layers=5; layer_mib=20; ceil_mib=1024; sha_mib=1024 ;;
  quick) : "${reps:=1}"; dur=4;  warm=6; blob_mib=128; chunk_mib=8; small_n=300;  tags_n=2000; layers=5; layer_mib=20; ceil_mib=512;  sha_mib=512 ;;
  audit) : "${reps:=5}"; dur=8;  warm=10; blob_mib=4;   chunk_mib=1; small_n=20;   tags_n=20;   layers=2; layer_mib=1;  ceil_mib=16;   sha_mib=32 ;;
  trust) : "${reps:=3}"; dur=6;  warm=8;  blob_mib=4;   chunk_mib=1; small_n=20;   tags_n=20;   layers=2; layer_mib=1;  ceil_mib=16;   sha_mib=32 ;;
  pullcount) : "${reps:=5}"; dur=8;  warm=10; blob_mib=4;   chunk_mib=1; small_n=20;   tags_n=20;   layers=2; layer_mib=1;  ceil_mib=16;   sha_mib=32 ;;
  readpath) : "${reps:=5}"; dur=8;  warm=10; blob_mib=4;   chunk_mib=1; small_n=20;   tags_n=20;   layers=2; layer_mib=1;  ceil_mib=16;   sha_mib=32 ;;
  auth) : "${reps:=3}"; dur=8;  warm=10; blob_mib=4;   chunk_mib=1; small_n=20;   tags_n=20;   layers=2; layer_mib=1;  ceil_mib=16;   sha_mib=32 ;;
  writes) : "${reps:=3}"; dur=1; warm=1; blob_mib=4; chunk_mib=1; small_n=1000; tags_n=2000; layers=2; layer_mib=1; ceil_mib=16; sha_mib=32 ;;
  smoke) : "${reps:=1}"; dur=1;  warm=1; blob_mib=4;   chunk_mib=1; small_n=20;   tags_n=20;   layers=2; layer_mib=1;  ceil_mib=16;   sha_mib=32 ;;
esac
[[ -z "${writes_quick:-}" ]] || { small_n=200; tags_n=200; }   # --writes --quick: 200 blobs and 200 tags a row
# The trust pass's second measure: GET .../signatures of an image with 5 signatures, cold (right after a key change)
# and cached samples, each after unmeasured warm-up rounds (the JIT compiles the verification path).
if [[ -n $quick ]]; then sig_cold=20; sig_cached=300; else sig_cold=40; sig_cached=600; fi
sig_warm_cold=10; sig_warm_cached=100
[[ -n "$out" ]] || { [[ $mode == trust ]] && out="$bench/results/trust.md"; }
[[ -n "$out" ]] || { [[ $mode == writes ]] && out="$bench/results/writes.md"; }
[[ -n "$out" ]] || { [[ $mode == smoke || $mode == audit || $mode == auth || $mode == pullcount || $mode == readpath ]] && out="$bench/results/raw/$mode.md" || out="$bench/results/latest.md"; }
small_size=4096

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# ---------------------------------------------------------------- prerequisites (apt only)
need_pkgs=()
command -v wrk >/dev/null || need_pkgs+=(wrk)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need_pkgs+=(nginx-light)
command -v skopeo >/dev/null || need_pkgs+=(skopeo)
command -v docker-registry >/dev/null || need_pkgs+=(docker-registry)
command -v python3 >/dev/null || need_pkgs+=(python3)
command -v curl >/dev/null || need_pkgs+=(curl)
command -v jq >/dev/null || need_pkgs+=(jq)
if [[ ${#need_pkgs[@]} -gt 0 ]]; then
  log "installing with apt: ${need_pkgs[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need_pkgs[@]}" >&2 \
    || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need_pkgs[@]}" >&2; }
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The comparison pass runs both registries without authentication (Distribution's default); Dockyard's token
# authentication is on by default, so it is switched off explicitly for every Dockyard started here.
export Dockyard__Auth__Enabled=false   # one spelling only: two spellings of a key in the environment win in random order

# ---------------------------------------------------------------- build
source "$bench/publish.sh"
bench_publish

# ---------------------------------------------------------------- work area, ports, cleanup
work="$(mktemp -d /var/tmp/dockyard-bench.XXXXXX)"
mkdir -p "$bench/results/raw"
raw="$bench/results/raw/$mode.tsv"
: >"$raw"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -z "${pg_running:-}" ]] || pg_stop "$work/pg"   # the --writes pass's PostgreSQL
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port_a="$(free_port)"; port_b="$(free_port)"; port_n="$(free_port)"; port_ca="$(free_port)"; port_cb="$(free_port)"
url_a="http://127.0.0.1:$port_a"; url_b="http://127.0.0.1:$port_b"; url_n="http://127.0.0.1:$port_n"
declare -A URL=([dockyard]="$url_a" [distribution]="$url_b")
servers=(dockyard distribution)

record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$raw"; }   # metric server rep value

wait_ready() { # url, seconds[, pid of the server: stop waiting as soon as it has exited]
  local deadline=$((SECONDS + $2))
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" == 200 ]]; do
    (( SECONDS < deadline )) || { echo "run.sh: $1 not ready after $2 s" >&2; return 1; }
    [[ -z "${3:-}" ]] || kill -0 "$3" 2>/dev/null || { echo "run.sh: the server for $1 exited before answering" >&2; return 1; }
    sleep 0.05
  done
}

distribution_config() { # file, port, rootdir
  mkdir -p "$3"
  cat >"$1" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: $3
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$2
EOF
}

export Logging__LogLevel__Default=Warning   # Dockyard: no request logging at all (it has no access log anyway)
accept_manifests='application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'
source "$bench/audit-pass.sh"
source "$bench/pullcount-pass.sh"
source "$bench/trust-pass.sh"
source "$bench/writes-pass.sh"
source "$bench/readpath-pass.sh"

write_meta() {
  {
    if [[ $mode == trust ]]; then
      echo "mode=trust${quick:+ (quick)} reps=$reps dur=${dur}s warm=${warm}s signatures: cold=$sig_cold cached=$sig_cached (warm-up: $sig_warm_cold cold, $sig_warm_cached cached)"
    else
      echo "mode=$mode${quick:+ (quick)} reps=$reps dur=${dur}s warm=${warm}s blob=${blob_mib}MiB chunk=${chunk_mib}MiB small=${small_n}x${small_size}B tags=$tags_n image=${layers}x${layer_mib}MiB ceil=${ceil_mib}MiB"
    fi
    echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ) commit=$(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- src || echo '+dirty')"
    echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') x $(nproc); mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2/1048576 }' /proc/meminfo); kernel=$(uname -r); load before=$load_before, after=$(cut -d' ' -f1-3 /proc/loadavg)"
  } >"$work/meta.txt"
}
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

if [[ $mode == audit || $mode == auth || $mode == pullcount || $mode == trust || $mode == readpath ]]; then
  "${mode}_pass" "$reps" "$dur"
  write_meta
  mkdir -p "$(dirname "$out")"
  python3 "$bench/report.py" "$raw" "$work/meta.txt" >"$out"
  cat "$out"
  log "wrote $out (raw figures: $raw)"
  # latest.md keeps its registry figures; its "Content trust" section (replaced on every trust run) repeats the summary.
  if [[ $mode == trust && "$out" == "$bench/results/trust.md" && -f "$bench/results/latest.md" ]]; then
    python3 "$bench/report.py" --latest-section "$bench/results/latest.md" "$out"
    log "updated the Content trust section of $bench/results/latest.md"
  fi
  exit 0
fi

# ---------------------------------------------------------------- start the servers
log "starting Dockyard on $url_a and Distribution on $url_b (data in $work)"
"${dockyard[@]}" serve --urls "$url_a" --data "$work/dockyard" >"$work/dockyard.log" 2>&1 &
pid_a=$!; pids+=("$pid_a")
distribution_config "$work/distribution.yml" "$port_b" "$work/distribution"
docker-registry serve "$work/distribution.yml" >"$work/distribution.log" 2>&1 &
pid_b=$!; pids+=("$pid_b")
declare -A PID=([dockyard]="$pid_a" [distribution]="$pid_b")
# generous: a busy shared machine can take tens of seconds
wait_ready "$url_a/v2/" 120 "$pid_a" || { tail -n 20 "$work/dockyard.log" >&2; exit 1; }
wait_ready "$url_b/v2/" 120 "$pid_b" || { tail -n 20 "$work/distribution.log" >&2; exit 1; }
if [[ $mode == writes ]]; then writes_mode; exit 0; fi   # bench/writes-pass.sh

rss_kib() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }
sleep 2
for s in "${servers[@]}"; do record rss_idle_mib "$s" 1 "$(( $(rss_kib "${PID[$s]}" VmRSS) / 1024 ))"; done

# ---------------------------------------------------------------- nginx for the loopback ceiling
mkdir -p "$work/www"
head -c $((ceil_mib * 1024 * 1024)) /dev/urandom >"$work/www/file.bin"
nginx_config "$work" "listen 127.0.0.1:$port_n; root $work/www;"   # bench/readpath-pass.sh
"$nginx_bin" -c "$work/nginx.conf" -p "$work" &
pids+=($!)
wait_ready "$url_n/file.bin" 10 2>/dev/null || { sleep 1; curl -sf -o /dev/null -r 0-0 "$url_n/file.bin"; }

# ---------------------------------------------------------------- seed content
log "seeding: manifest repo, $tags_n-tag repo, $blob_mib MiB pull blob"
accept='application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'
declare -A PULL_DIGEST
for s in "${servers[@]}"; do
  "$tool" seed "${URL[$s]}" bench/app 0 >/dev/null
  "$tool" seed "${URL[$s]}" bench/tags "$tags_n" >/dev/null
  PULL_DIGEST[$s]="$("$tool" push "${URL[$s]}" bench/pull $((blob_mib * 1024 * 1024)) 0 4242 | cut -f2)"
  n="$(curl -sf "${URL[$s]}/v2/bench/tags/tags/list" | jq '.tags | length')"
  [[ "$n" == $((tags_n + 1)) ]] || { echo "run.sh: $s tags/list returned $n tags, expected $((tags_n + 1))" >&2; exit 1; }
  code="$(curl -s -o /dev/null -w '%{http_code}' -H "Accept: $accept" "${URL[$s]}/v2/bench/app/manifests/latest")"
  [[ "$code" == 200 ]] || { echo "run.sh: $s manifest GET answered $code" >&2; exit 1; }
done

cat >"$work/get.lua" <<EOF
wrk.method = "GET"
wrk.headers["Accept"] = "$accept"
EOF

# wrk → "req/s p50_ms p99_ms"; fails on any non-2xx answer or socket error (self_wrk in audit-pass.sh, without the CPU field)
run_wrk() { # connections script url [seconds]
  local res
  res="$(self_wrk "$1" "$2" "$3" "${4:-$dur}")" || return 1
  echo "${res% *}"
}

now_ns() { date +%s%N; }

# ---- pull efficiency (issue #19 item 2): MB/s and the server's CPU per pulled GB (utime+stime over the GET / bytes)
clk_tck="$(getconf CLK_TCK)"
pull_blob() { # server rep streams → records blob_get_<streams>_mbps and blob_get_<streams>_cpu_s_per_gb
  local c0 c1 mbps
  c0="$(cpu_ticks "${PID[$1]}")"
  mbps="$("$tool" get "${URL[$1]}/v2/bench/pull/blobs/${PULL_DIGEST[$1]}" "$3")"
  c1="$(cpu_ticks "${PID[$1]}")"
  record "blob_get_$3_mbps" "$1" "$2" "$mbps"
  record "blob_get_$3_cpu_s_per_gb" "$1" "$2" "$(awk -v t=$((c1 - c0)) -v hz="$clk_tck" -v b=$(($3 * blob_mib * 1048576)) \
    'BEGIN { printf "%.3f", t / hz / (b / 1e9) }')"
}

# Both servers get the same warm-up under load once: Dockyard's JIT needs it (tiered compilation), Distribution's
# Go binary does not, and neither is measured cold (cold start is measured separately below).
for s in "${servers[@]}"; do
  log "warm-up: $s manifest GET, ${warm} s"
  run_wrk 32 "$work/get.lua" "${URL[$s]}/v2/bench/app/manifests/latest" "$warm" >/dev/null
done

# ---------------------------------------------------------------- measurements
for rep in $(seq 1 "$reps"); do
  log "repetition $rep/$reps: ceilings"
  record ceil_sha256_mbps machine "$rep" "$("$tool" sha256 "$sha_mib")"
  dd_out="$(dd if=/dev/zero of="$work/dd.bin" bs=1M count="$ceil_mib" conv=fsync 2>&1 | tail -n 1)"
  record ceil_disk_fsync_mbps machine "$rep" "$(awk '{ printf "%.1f", $1 / $(NF-3) / 1e6 }' <<<"$dd_out")"
  dd_out="$(dd if=/dev/zero of="$work/dd4k.bin" bs=4k count=500 oflag=dsync 2>&1 | tail -n 1)"
  record ceil_fsync4k_per_s machine "$rep" "$(awk '{ printf "%.1f", 500 / $(NF-3) }' <<<"$dd_out")"
  rm -f "$work/dd.bin" "$work/dd4k.bin"
  record ceil_loopback_1_mbps machine "$rep" "$("$tool" get "$url_n/file.bin" 1)"
  record ceil_loopback_16_mbps machine "$rep" "$("$tool" get "$url_n/file.bin" 16)"

  for s in "${servers[@]}"; do
    log "repetition $rep/$reps: $s manifest GET/HEAD"
    res="$(run_wrk 32 "$work/get.lua" "${URL[$s]}/v2/bench/app/manifests/latest")"
    read -r rps p50 p99 <<<"$res"
    record manifest_get_rps "$s" "$rep" "$rps"; record manifest_get_p50_ms "$s" "$rep" "$p50"; record manifest_get_p99_ms "$s" "$rep" "$p99"
  done
  for s in "${servers[@]}"; do
    # wrk waits for a HEAD answer's body forever, so HEAD uses the load tool's raw-socket loop (a heavier client than wrk).
    res="$("$tool" load HEAD "${URL[$s]}/v2/bench/app/manifests/latest" 32 "$dur" "$accept")"
    read -r rps p50 p99 <<<"$res"
    record manifest_head_rps "$s" "$rep" "$rps"; record manifest_head_p50_ms "$s" "$rep" "$p50"; record manifest_head_p99_ms "$s" "$rep" "$p99"
  done

  for streams in 1 16; do
    for s in "${servers[@]}"; do
      [[ $streams == 16 ]] || log "repetition $rep/$reps: $s blob GET"
      pull_blob "$s" "$rep" "$streams"
    done
  done

  for s in "${servers[@]}"; do
    log "repetition $rep/$reps: $s blob push"
    seed=$((rep * 10 + ${#s}))
    record push_mono_mbps "$s" "$rep" "$("$tool" push "${URL[$s]}" bench/push $((blob_mib * 1024 * 1024)) 0 "$seed" | cut -f1)"
  done
  for s in "${servers[@]}"; do
    seed=$((rep * 10 + ${#s} + 1000))
    record push_chunked_mbps "$s" "$rep" "$("$tool" push "${URL[$s]}" bench/push $((blob_mib * 1024 * 1024)) $((chunk_mib * 1024 * 1024)) "$seed" | cut -f1)"
  done
  writes_rows "$rep" "${servers[@]}"   # small blobs over 1/8/32 connections, manifest PUT with tag (bench/writes-pass.sh)

  for s in "${servers[@]}"; do
    log "repetition $rep/$reps: $s tags/list"
    res="$(run_wrk 16 "$work/get.lua" "${URL[$s]}/v2/bench/tags/tags/list")"
    read -r rps p50 p99 <<<"$res"
    record tags_list_rps "$s" "$rep" "$rps"; record tags_list_p50_ms "$s" "$rep" "$p50"; record tags_list_p99_ms "$s" "$rep" "$p99"
  done

  image_bytes=$((layers * layer_mib * 1024 * 1024))
  for s in "${servers[@]}"; do
    log "repetition $rep/$reps: $s skopeo push/pull"
    image="$work/image-$s-$rep"
    "$tool" image "$image" "$layers" "$layer_mib" "$((rep * 7 + ${#s}))" >/dev/null
    target="${URL[$s]#http://}/bench/skopeo$rep:bench"
    t0="$(now_ns)"
    skopeo copy -q --dest-tls-verify=false "oci:$image:bench" "docker://$target" >&2
    t1="$(now_ns)"
    record skopeo_push_mbps "$s" "$rep" "$(awk -v b="$image_bytes" -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f", b / (ns / 1e9) / 1e6 }')"
    rm -rf "$image"
  done
  for s in "${servers[@]}"; do
    target="${URL[$s]#http://}/bench/skopeo$rep:bench"
    t0="$(now_ns)"
    skopeo copy -q --src-tls-verify=false "docker://$target" "oci:$work/pulled-$s-$rep:bench" >&2
    t1="$(now_ns)"
    record skopeo_pull_mbps "$s" "$rep" "$(awk -v b="$image_bytes" -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f", b / (ns / 1e9) / 1e6 }')"
    rm -rf "$work/pulled-$s-$rep"
  done
done

log "pull-audit pass"
# Five repetitions at least: the on/off ratio of one repetition swings by ±0.1 on this shared machine.
audit_reps="$reps"; [[ $mode == full && $reps -lt 5 ]] && audit_reps=5
audit_pass "$audit_reps" "$dur"
log "token-auth pass"
auth_pass "$reps" "$dur"
# ---------------------------------------------------------------- read path against its ceiling (issue #19 item 5)
log "read-path pass: nginx static manifest vs Dockyard manifest GET with token auth"
readpath_reps="$reps"; [[ $mode == full && $reps -lt 5 ]] && readpath_reps=5
readpath_pass "$readpath_reps" "$dur"
# ----------------------------------------------------------------

for s in "${servers[@]}"; do record rss_peak_mib "$s" 1 "$(( $(rss_kib "${PID[$s]}" VmHWM) / 1024 ))"; done
sleep 5
for s in "${servers[@]}"; do record rss_after_load_mib "$s" 1 "$(( $(rss_kib "${PID[$s]}" VmRSS) / 1024 ))"; done

# ---------------------------------------------------------------- cold start to first 200 (fresh data dirs)
for rep in $(seq 1 "$reps"); do
  log "repetition $rep/$reps: cold start"
  record coldstart_ms dockyard "$rep" "$("$tool" coldstart "http://127.0.0.1:$port_ca/v2/" "${dockyard[@]}" serve --urls "http://127.0.0.1:$port_ca" --data "$work/cold-a-$rep")"
  distribution_config "$work/cold-b-$rep.yml" "$port_cb" "$work/cold-b-$rep"
  record coldstart_ms distribution "$rep" "$("$tool" coldstart "http://127.0.0.1:$port_cb/v2/" docker-registry serve "$work/cold-b-$rep.yml")"
  # Again on the same data: a restart or a new replica (no migrations to apply, no first administrator to create).
  record restart_ms dockyard "$rep" "$("$tool" coldstart "http://127.0.0.1:$port_ca/v2/" "${dockyard[@]}" serve --urls "http://127.0.0.1:$port_ca" --data "$work/cold-a-$rep")"
  record restart_ms distribution "$rep" "$("$tool" coldstart "http://127.0.0.1:$port_cb/v2/" docker-registry serve "$work/cold-b-$rep.yml")"
done

# ---------------------------------------------------------------- report
{
  echo "mode=$mode reps=$reps dur=${dur}s warm=${warm}s blob=${blob_mib}MiB chunk=${chunk_mib}MiB small=${small_n}x${small_size}B tags=$tags_n image=${layers}x${layer_mib}MiB ceil=${ceil_mib}MiB"
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ) commit=$(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- src || echo '+dirty')"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') x $(nproc); mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2/1048576 }' /proc/meminfo); kernel=$(uname -r); load before=$load_before, after=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "dotnet=$(dotnet --version); distribution=$(docker-registry --version | awk '{ print $3 }'); wrk=$(wrk -v 2>&1 | head -n 1 | awk '{ print $2 }'); skopeo=$(skopeo --version | awk '{ print $3 }'); nginx=$("$nginx_bin" -v 2>&1 | cut -d/ -f2)"
} >"$work/meta.txt"
mkdir -p "$(dirname "$out")"
python3 "$bench/report.py" "$raw" "$work/meta.txt" >"$out"
cat "$out"
log "wrote $out (raw figures: $raw)"
