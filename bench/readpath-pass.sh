# Sourced by run.sh (after audit-pass.sh, whose self_* helpers and auth set-up it uses). Issue #19 item 5: the read
# path against its ceiling. The same manifest bytes served two ways, in the same run, same load (wrk, 32 connections):
#   nginx:     the manifest GET by tag's answer (body, Content-Type, Docker-Content-Digest) as a static file
#              (nginx as run.sh's loopback ceiling: 2 workers, keep-alive, no access log)          → server nginx
#   dockyard:  manifest GET by tag with token auth on: every request carries a bearer token that /auth/token
#              issued to a user with read on the repository (a fresh token per repetition, as a client gets
#              one per pull), pull auditing and pull counts at their defaults (on)                    → server dockyard
# One Dockyard process and one nginx for the whole pass, each warmed up under the same load first, then the two
# measured alternately (order flipped every repetition). Share = Dockyard / nginx req/s (target ≥ 0.5×); p99 and the
# server CPU per request (utime+stime over the run / requests; nginx: master and workers) beside it.

readpath_pass() { # repetitions seconds
  local port data url api nport nurl dir ctype digest token res rps p50 p99 cpu order s nginx_pid workers
  port="$(free_port)"; data="$work/dockyard-readpath"; url="http://127.0.0.1:$port/v2/bench/app/manifests/latest"
  api="http://127.0.0.1:$port/api/v1"
  self_seed "$port" "$data"
  self_start "$port" "$data" Dockyard__Auth__Enabled=true
  auth_puller_setup "$api"
  expect_anonymous "$url" 401
  token="$(auth_token "$port")"
  [[ -n "$token" && "$token" != null ]] || { echo "run.sh: no token from /auth/token for puller" >&2; return 1; }

  # The answer Dockyard gives, byte for byte, becomes nginx's file; its Content-Type and digest become nginx's headers.
  dir="$work/readpath"; mkdir -p "$dir/www/v2/bench/app/manifests"
  curl -sf -H "Accept: $accept_manifests" -H "Authorization: Bearer $token" -D "$dir/headers" \
    -o "$dir/www/v2/bench/app/manifests/latest" "$url"
  ctype="$(awk -F': ' 'tolower($1) == "content-type" { sub(/\r$/, "", $2); print $2 }' "$dir/headers")"
  digest="$(awk -F': ' 'tolower($1) == "docker-content-digest" { sub(/\r$/, "", $2); print $2 }' "$dir/headers")"
  [[ -n "$ctype" && -n "$digest" ]] || { echo "run.sh: the manifest GET named no Content-Type or digest" >&2; return 1; }
  nport="$(free_port)"; nurl="http://127.0.0.1:$nport/v2/bench/app/manifests/latest"
  nginx_config "$dir" "listen 127.0.0.1:$nport; root $dir/www;
    location /v2/ {
      types { }
      default_type \"$ctype\";
      add_header Docker-Content-Digest \"$digest\";
      add_header Docker-Distribution-Api-Version registry/2.0;
    }"
  "$nginx_bin" -c "$dir/nginx.conf" -p "$dir" &
  nginx_pid=$!; pids+=("$nginx_pid")
  wait_ready "$nurl" 10 "$nginx_pid"
  curl -sf -D "$dir/nginx-headers" -o "$dir/nginx-body" "$nurl"
  cmp -s "$dir/nginx-body" "$dir/www/v2/bench/app/manifests/latest" \
    && grep -qi "^content-type: $ctype" "$dir/nginx-headers" \
    || { echo "run.sh: nginx does not answer the manifest's bytes and Content-Type" >&2; return 1; }
  workers="$nginx_pid $(pgrep -P "$nginx_pid" | tr '\n' ' ')"   # CPU of master and workers

  printf 'wrk.method = "GET"\nwrk.headers["Accept"] = "%s"\n' "$accept_manifests" >"$dir/nginx-get.lua"
  readpath_script "$token" "$dir/dockyard-get.lua"
  log "read path: warm-up, ${warm} s each (manifest $(stat -c %s "$dir/nginx-body") bytes, $ctype)"
  # A stray error while warming up (seen once from nginx on a machine at load 50) is logged, not fatal: the measured
  # runs below still fail on any.
  self_wrk 32 "$dir/nginx-get.lua" "$nurl" "$warm" >/dev/null || log "read path: nginx warm-up saw errors (above)"
  self_wrk 32 "$dir/dockyard-get.lua" "$url" "$warm" >/dev/null || log "read path: Dockyard warm-up saw errors (above)"
  for rep in $(seq 1 "$1"); do
    token="$(auth_token "$port")"   # a fresh token every repetition: the first request of each validates it
    readpath_script "$token" "$dir/dockyard-get.lua"
    if (( rep % 2 )); then order="nginx dockyard"; else order="dockyard nginx"; fi
    for s in $order; do
      log "repetition $rep/$1: read path, $s manifest GET (load $(cut -d' ' -f1 /proc/loadavg))"
      record readpath_load1 "$s" "$rep" "$(cut -d' ' -f1 /proc/loadavg)"
      if [[ $s == nginx ]]; then
        res="$(self_wrk 32 "$dir/nginx-get.lua" "$nurl" "$2" "$workers")"
      else
        res="$(self_wrk 32 "$dir/dockyard-get.lua" "$url" "$2" "$self_pid")"
      fi
      read -r rps p50 p99 cpu <<<"$res"
      record readpath_get_rps "$s" "$rep" "$rps"; record readpath_get_p50_ms "$s" "$rep" "$p50"
      record readpath_get_p99_ms "$s" "$rep" "$p99"; record readpath_get_cpu_us "$s" "$rep" "$cpu"
    done
  done
  # Still refusing what it must: no token, and a token with a broken signature.
  expect_anonymous "$url" 401
  local at=$(( ${#token} - 10 )) flipped
  [[ "${token:at:1}" == A ]] && flipped=B || flipped=A
  [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Accept: $accept_manifests" -H "Authorization: Bearer ${token:0:at}$flipped${token:at+1}" "$url")" == 401 ]] \
    || { echo "run.sh: a token with a broken signature was not refused" >&2; return 1; }
  kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true
  self_stop
}

# nginx as the machine's ceilings measure it (also run.sh's loopback ceiling): 2 workers, sendfile, keep-alive, no
# access log. Writes DIR/nginx.conf with one server block of the given directives.
nginx_config() { # dir server-directives
  cat >"$1/nginx.conf" <<EOF
user root;
daemon off;
worker_processes 2;
pid $1/nginx.pid;
error_log $1/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  server { $2 }
}
EOF
}

readpath_script() { # token file
  printf 'wrk.method = "GET"\nwrk.headers["Accept"] = "%s"\nwrk.headers["Authorization"] = "Bearer %s"\n' "$accept_manifests" "$1" >"$2"
}
