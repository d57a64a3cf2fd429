# Sourced by control.sh and stacks.sh: two private dockerd joined as one Swarm on loopback, a busybox image on both,
# and Dockyard (auth on, both engines configured) in front of them. Everything started here is stopped by its PID.
# Needs `log`, `fail` and `dockyard` (publish.sh) from the caller. Usage:
#   swarm_workdir /var/tmp/dyX.XXXXXX   work dir (short: unix socket paths must stay under 108 bytes), pids file
#   trap '...; swarm_stop_all; ...; swarm_remove_work' EXIT
#   swarm_up                            dockerd m and w, swarm, busybox image `$image` on both; sets node_m, node_w
#   dockyard_up                         Dockyard on a free port; sets url, port, token (administrator), dockyard_pid
# Helpers: stop_pid, free_port, free_udp_port, dk m|w ARGS (docker CLI against one engine), kv KEY "k=v k=v",
# start_dockyard, admin_token.

declare -A DOCKERD_PID=()
admin_password='Bench-Control-Admin-1'
image=dockyard-bench/busybox:1

swarm_workdir() { # mktemp template
  work="$(mktemp -d "$1")"
  gwbridge_existed=false; [[ -d /sys/class/net/docker_gwbridge ]] && gwbridge_existed=true && log "docker_gwbridge exists already: left alone"
  pids_file="$work/pids"   # every Dockyard started here, by any pass (passes run in subshells): stopped by PID
  : >"$pids_file"
}

stop_pid() { # pid [seconds]: SIGTERM, bounded wait, then SIGKILL
  local pid="$1" deadline=$((SECONDS + ${2:-20}))
  kill "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Stops every Dockyard in the pids file, removes every container, leaves the swarm and stops both engines.
swarm_stop_all() {
  local pid ids others children n c
  [[ -n "${work:-}" && -d "$work" ]] || return 0
  while read -r pid; do stop_pid "$pid"; done <"$pids_file"
  for n in w m; do
    [[ -n "${DOCKERD_PID[$n]:-}" ]] || continue
    ids="$(dk "$n" ps -aq 2>/dev/null)"
    [[ -z "$ids" ]] || xargs -r -n 50 -P 4 env DOCKER_HOST="unix://$work/$n/docker.sock" DOCKER_CONFIG="$work/$n/cli" timeout 300 docker rm -f <<<"$ids" >/dev/null 2>&1
    dk "$n" swarm leave --force >/dev/null 2>&1
  done
  # Swarm made the bridge docker_gwbridge in the machine's network namespace: remove it unless it was there before,
  # or another dockerd (someone else's, e.g. a test's swarm) runs now and may use it.
  others="$(pgrep -x dockerd | grep -v -x -e "${DOCKERD_PID[m]:-0}" -e "${DOCKERD_PID[w]:-0}")"
  if [[ $gwbridge_existed == false && -z "$others" ]]; then
    for n in w m; do [[ -z "${DOCKERD_PID[$n]:-}" ]] || dk "$n" network rm docker_gwbridge >/dev/null 2>&1; done
  fi
  for n in w m; do
    pid="${DOCKERD_PID[$n]:-}"; [[ -n "$pid" ]] || continue
    children="$(cat /proc/"$pid"/task/*/children 2>/dev/null)"   # dockerd's own containerd
    stop_pid "$pid" 30
    for c in $children; do kill -9 "$c" 2>/dev/null; done
  done
  if [[ $gwbridge_existed == false && -z "$others" && -d /sys/class/net/docker_gwbridge ]]; then
    log "docker_gwbridge outlived the engines that made it: deleting it"
    ip link delete docker_gwbridge 2>/dev/null
  fi
}

swarm_remove_work() { # overlay mounts, netns and shm left under the work dir, then the dir
  [[ -n "${work:-}" && -d "$work" ]] || return 0
  awk -v p="$work/" 'index($5, p) == 1 { print $5 }' /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
  rm -rf "$work"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
free_udp_port() { python3 -c '
import socket
for _ in range(50):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", 0)); p = s.getsockname()[1]; s.close()
    if 1024 <= p <= 49151: print(p); break'; }

dk() { local n="$1"; shift; DOCKER_HOST="unix://$work/$n/docker.sock" DOCKER_CONFIG="$work/$n/cli" DOCKER_CLI_HINTS=false docker "$@"; }
kv() { tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1 == k { print substr($0, length(k) + 2); exit }'; }

start_dockerd() { # m|w — flags as tests/Dockyard.Server.Tests/Infrastructure/DockerDaemonFixture.cs
  local n="$1" dir="$work/$1" driver pid deadline
  mkdir -p "$dir/cli"; echo '{}' >"$dir/cli/config.json"
  for driver in overlay2 vfs; do
    mkdir -p "$dir/$driver"; echo '{}' >"$dir/$driver/daemon.json"
    env -u DOCKER_HOST PATH="$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" dockerd \
      --config-file "$dir/$driver/daemon.json" --data-root "$dir/$driver/data" --exec-root "$dir/$driver/exec" \
      --host "unix://$dir/docker.sock" --pidfile "$dir/$driver/dockerd.pid" --storage-driver "$driver" \
      --bridge=none --iptables=false --ip6tables=false --ip-masq=false --ipv6=false --userland-proxy=false \
      --log-level info </dev/null >"$dir/dockerd-$driver.log" 2>&1 &
    pid=$!; DOCKERD_PID[$n]=$pid
    deadline=$((SECONDS + 60))
    while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do
      if [[ -S "$dir/docker.sock" ]] && dk "$n" info --format '{{.ServerVersion}}' >/dev/null 2>&1; then
        log "dockerd $n ($driver) ready, pid $pid"; return 0
      fi
      sleep 0.2
    done
    log "dockerd $n did not start with $driver: $(tail -n 3 "$dir/dockerd-$driver.log" | tr '\n' ' ')"
    stop_pid "$pid" 20; unset "DOCKERD_PID[$n]"; rm -f "$dir/docker.sock"
  done
  fail "dockerd $n did not start with overlay2 or vfs"
}

swarm_up() {
  local n driver init dpp deadline
  log "starting two dockerd (work dir $work)"
  start_dockerd m & start_dockerd w & wait   # (subshells: the PIDs are read back from the pidfiles below)
  for n in m w; do
    for driver in overlay2 vfs; do
      [[ -f "$work/$n/$driver/dockerd.pid" ]] && DOCKERD_PID[$n]="$(cat "$work/$n/$driver/dockerd.pid")"
    done
    [[ -n "${DOCKERD_PID[$n]:-}" ]] || fail "dockerd $n is not running"
  done
  swarm_m="127.0.0.1:$(free_port)"; swarm_w="127.0.0.1:$(free_port)"
  init=(swarm init --advertise-addr "$swarm_m" --listen-addr "$swarm_m")
  dpp="$(free_udp_port)"; [[ -z "$dpp" ]] || init+=(--data-path-port "$dpp")
  dk m "${init[@]}" >/dev/null
  dk w swarm join --token "$(dk m swarm join-token --quiet worker)" --advertise-addr "$swarm_w" --listen-addr "$swarm_w" "$swarm_m" >/dev/null
  node_m="$(dk m info --format '{{.Swarm.NodeID}}')"; node_w="$(dk w info --format '{{.Swarm.NodeID}}')"
  deadline=$((SECONDS + 90))
  until [[ "$(dk m node ls --format '{{.ID}} {{.Status}}' | grep -c -E "^($node_m|$node_w) Ready$")" == 2 ]]; do
    (( SECONDS < deadline )) || fail "the two swarm nodes were not Ready within 90 s"
    sleep 0.5
  done
  log "swarm: manager $node_m, worker $node_w"

  # busybox image on both engines, as tests/…/TestImages.BuildBusyboxImageAsync makes it
  python3 - "$work/busybox.tar" <<'EOF'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as tar:
    for d in ("bin", "tmp", "etc"):
        info = tarfile.TarInfo(d); info.type = tarfile.DIRTYPE; info.mode = 0o755; tar.addfile(info)
    tar.add("/bin/busybox", arcname="bin/busybox")
    link = tarfile.TarInfo("bin/sh"); link.type = tarfile.SYMTYPE; link.linkname = "busybox"; tar.addfile(link)
EOF
  for n in m w; do dk "$n" import --change 'CMD ["/bin/busybox","echo","hello"]' "$work/busybox.tar" "$image" >/dev/null; done
}

# ---------------------------------------------------------------- Dockyard: auth on, both engines
swarm_engine_env() { # the Dockyard settings that name both engines
  engine_env=(
    Dockyard__Control__Engines__0__Name=manager Dockyard__Control__Engines__0__Endpoint="unix://$work/m/docker.sock"
    Dockyard__Control__Engines__1__Name=worker Dockyard__Control__Engines__1__Endpoint="unix://$work/w/docker.sock"
  )
}

start_dockyard() { # port data-dir log env-assignments... → sets started_pid
  local port="$1" data="$2" logfile="$3" deadline; shift 3
  env DOCKYARD_ADMIN_PASSWORD="$admin_password" Dockyard__Auth__Enabled=true Logging__LogLevel__Default=Warning "$@" \
    "${dockyard[@]}" serve --urls "http://127.0.0.1:$port" --data "$data" >>"$logfile" 2>&1 &
  started_pid=$!; echo "$started_pid" >>"$pids_file"
  deadline=$((SECONDS + 120))
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz" || true)" == 200 ]]; do
    kill -0 "$started_pid" 2>/dev/null || { tail -n 20 "$logfile" >&2; fail "Dockyard exited before answering"; }
    (( SECONDS < deadline )) || fail "Dockyard not ready after 120 s"
    sleep 0.1
  done
}

admin_token() { # base-url → a personal access token of the administrator (Bearer on /api/v1)
  curl -sf -u "admin:$admin_password" -H 'Content-Type: application/json' -d '{"name":"bench-control"}' "$1/api/v1/me/tokens" | jq -r .secret
}

dockyard_up() { # [extra env assignments...]
  local deadline
  swarm_engine_env
  port="$(free_port)"; url="http://127.0.0.1:$port"
  log "starting Dockyard on $url"
  start_dockyard "$port" "$work/dockyard" "$work/dockyard.log" "${engine_env[@]}" "$@"
  dockyard_pid="$started_pid"
  token="$(admin_token "$url")"
  [[ -n "$token" && "$token" != null ]] || fail "no access token for the administrator"
  deadline=$((SECONDS + 60))
  until [[ "$(curl -sf -H "Authorization: Bearer $token" "$url/api/v1/engines" | jq '[(if type == "array" then . else .items end)[] | select(.status.state == "reachable")] | length')" == 2 ]]; do
    (( SECONDS < deadline )) || fail "Dockyard does not reach both engines: $(curl -s -H "Authorization: Bearer $token" "$url/api/v1/engines" | head -c 600)"
    sleep 1
  done
  log "Dockyard (pid $dockyard_pid) reaches both engines"
}
