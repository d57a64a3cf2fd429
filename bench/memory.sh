#!/usr/bin/env bash
# Memory pass of issue #19 (not part of run.sh): bench/memory.sh LABEL COMMAND...
#   e.g. DOTNET_gcServer=0 bench/memory.sh wks bench/.dockyard/dockyard
# Starts the server (auth off, fresh data dir under /var/tmp), prints its idle RSS split (anonymous / file-backed /
# shared: /proc/<pid>/status), then a compact load — wrk manifest GET 32 connections (10 s warm-up + 10 s), blob GET of a
# 256 MiB blob with 1 and 16 streams, a monolithic and a chunked 256 MiB push, 300 small blobs — with throughput, CPU per
# request / per GB and the peak RSS (VmHWM) after each step. Needs the load tool (bench/Dockyard.Bench, built by run.sh)
# and wrk. Compare settings within one session only: RSS barely moves with the machine's load, throughput does.
set -euo pipefail
label=$1; shift
tool="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/Dockyard.Bench/bin/Release/net10.0/dockyard-bench"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
work=$(mktemp -d /var/tmp/dockyard-memory.XXXXXX)
export Dockyard__Auth__Enabled=false Logging__LogLevel__Default=Warning
"$@" serve --urls http://127.0.0.1:$port --data $work/data >$work/log 2>&1 & pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf $work' EXIT
url=http://127.0.0.1:$port
for i in $(seq 1 600); do [[ "$(curl -s -o /dev/null -w '%{http_code}' $url/v2/)" == 200 ]] && break; sleep 0.1; done
sleep 5
rss() { awk -v k=$1 '$1==k":" {print int($2/1024)}' /proc/$pid/status; }
smap() { awk '/^(Rss|Anonymous|Pss_File|Pss_Anon):/ {printf "%s=%d ", $1, $2/1024}' /proc/$pid/smaps_rollup; }
echo "$label idle rss=$(rss VmRSS) $(smap) load=$(cut -d' ' -f1 /proc/loadavg)"
cpu() { awk '{print $14+$15}' /proc/$pid/stat; }
$tool seed $url bench/app 0 >/dev/null
dig=$($tool push $url bench/pull $((256*1024*1024)) 0 4242 | cut -f2)
printf 'wrk.method = "GET"\nwrk.headers["Accept"] = "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"\n' > $work/get.lua
wrk -t2 -c32 -d10s -s $work/get.lua $url/v2/bench/app/manifests/latest >/dev/null
c0=$(cpu); out=$(wrk -t2 -c32 -d10s -s $work/get.lua $url/v2/bench/app/manifests/latest); c1=$(cpu)
rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out"); n=$(awk '/requests in/ {print $1}' <<<"$out")
echo "$label manifest_get rps=$rps cpu_us_per_req=$(awk -v t=$((c1-c0)) -v n=$n 'BEGIN{printf "%.1f", t*10000/n}') load=$(cut -d' ' -f1 /proc/loadavg) rss_now=$(rss VmRSS) peak=$(rss VmHWM) $(awk '/^(RssAnon|RssFile|RssShmem):/ {printf "%s%d ", $1, $2/1024}' /proc/$pid/status)"
for n in 1 16; do
  c0=$(cpu); mb=$($tool get $url/v2/bench/pull/blobs/$dig $n); c1=$(cpu)
  echo "$label blob_get_$n MB/s=$mb cpu_s_per_GB=$(awk -v t=$((c1-c0)) -v b=$((n*256*1048576)) 'BEGIN{printf "%.3f", t/100/(b/1e9)}') load=$(cut -d' ' -f1 /proc/loadavg) peak=$(rss VmHWM)"
done
echo "$label push_mono MB/s=$($tool push $url bench/push $((256*1024*1024)) 0 77 | cut -f1) peak=$(rss VmHWM)"
echo "$label push_chunked MB/s=$($tool push $url bench/push $((256*1024*1024)) $((8*1024*1024)) 78 | cut -f1) peak=$(rss VmHWM)"
echo "$label small blobs/s=$($tool small $url bench/small 300 4096 5) peak=$(rss VmHWM)"
sleep 6
echo "$label after rss=$(rss VmRSS) peak=$(rss VmHWM) $(awk '/^(RssAnon|RssFile|RssShmem):/ {printf "%s%d ", $1, $2/1024}' /proc/$pid/status) load=$(cut -d' ' -f1 /proc/loadavg)"
