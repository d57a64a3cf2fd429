# Sourced by run.sh. Dockyard against itself, one setting flipped, on one data directory: the server is started
# afresh for every run, the order of the two settings flipped every repetition to cancel drift, each run preceded
# by a warm-up under the same load (10 s in full runs: with tiered compilation and dynamic PGO a fresh process on
# two busy cores needs 10–15 s to reach steady throughput; 2 s measured mostly the JIT), then wrk manifest GET by
# tag (32 connections).
#   audit_pass: Dockyard:Audit:Pulls true vs false (auth off)     → servers pulls_on / pulls_off
#   auth_pass:  token auth on (bearer token from /auth/token for a user with pull rights) vs off (pull auditing
#               at its default, on, in both)                       → servers auth_on / auth_off
#               and, in each auth-on run, token issue: GET /auth/token with the user's personal access token as the
#               Basic password, as `docker pull` asks after `docker login` with a token → server auth_on, token_issue_*
# Besides req/s and p99 each run records the server's CPU time per request (utime+stime from /proc over the run,
# divided by the requests wrk counted): on a shared, noisy machine that is the steadier figure of the two.

bench_admin_password='Bench-Admin-Password-1'
bench_puller_password='Bench-Puller-Password-1'

# Also run.sh's run_wrk. Fails on any non-2xx answer or socket error.
self_wrk() { # connections script url seconds [pid or "pid pid ..."] → "req/s p50_ms p99_ms cpu_us_per_request" (cpu 0 without a pid)
  local output t0=0 t1=0
  [[ -n "${5:-}" ]] && t0="$(cpu_ticks "$5")"
  output="$(wrk -t2 -c"$1" -d"$4s" --timeout 5s --latency -s "$2" "$3")"
  [[ -n "${5:-}" ]] && t1="$(cpu_ticks "$5")"
  if grep -qE 'Non-2xx|Socket errors' <<<"$output"; then
    echo "run.sh: wrk saw errors on $3:" >&2; echo "$output" >&2; return 1
  fi
  awk -v ticks=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "Requests/sec:" { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    $2 == "requests" && $3 == "in" { n = $1 }
    END { printf "%s %.3f %.3f %.1f\n", rps, p50, p99, (n > 0 ? ticks / hz * 1e6 / n : 0) }' <<<"$output"
}

cpu_ticks() { # pid or "pid pid ..." (summed)
  local p stats=()
  for p in $1; do stats+=("/proc/$p/stat"); done
  awk '{ t += $14 + $15 } END { print t }' "${stats[@]}"
}

self_start() { # port data-dir env-assignments...
  local port="$1" data="$2"; shift 2
  env DOCKYARD_ADMIN_PASSWORD="$bench_admin_password" "$@" \
    "${dockyard[@]}" serve --urls "http://127.0.0.1:$port" --data "$data" >>"$work/dockyard-self.log" 2>&1 &
  self_pid=$!; pids+=("$self_pid")
  wait_ready "http://127.0.0.1:$port/healthz" 120 "$self_pid" || { tail -n 5 "$work/dockyard-self.log" >&2; return 1; }   # /v2/ answers 401 with auth on
}

self_stop() { kill "$self_pid" 2>/dev/null || true; wait "$self_pid" 2>/dev/null || true; }

self_seed() { # port data-dir
  self_start "$1" "$2" Dockyard__Auth__Enabled=false
  "$tool" seed "http://127.0.0.1:$1" bench/app 0 >/dev/null
  self_stop
}

audit_pass() { # repetitions seconds
  local port data url res rps p50 p99 cpu order pulls s
  port="$(free_port)"; data="$work/dockyard-audit"; url="http://127.0.0.1:$port/v2/bench/app/manifests/latest"
  printf 'wrk.method = "GET"\nwrk.headers["Accept"] = "%s"\n' "$accept_manifests" >"$work/audit-get.lua"
  self_seed "$port" "$data"
  for rep in $(seq 1 "$1"); do
    if (( rep % 2 )); then order="true false"; else order="false true"; fi
    for pulls in $order; do
      log "repetition $rep/$1: pull auditing $pulls: manifest GET (load $(cut -d' ' -f1 /proc/loadavg))"
      # Anonymous open registry (auth off) as in the other passes: this measures the audit cost, not token validation.
      self_start "$port" "$data" Dockyard__Auth__Enabled=false Dockyard__Audit__Pulls="$pulls"
      expect_anonymous "$url" 200
      self_wrk 32 "$work/audit-get.lua" "$url" "$warm" >/dev/null
      res="$(self_wrk 32 "$work/audit-get.lua" "$url" "$2" "$self_pid")"
      read -r rps p50 p99 cpu <<<"$res"
      [[ $pulls == true ]] && s=pulls_on || s=pulls_off
      record audit_get_rps "$s" "$rep" "$rps"; record audit_get_p99_ms "$s" "$rep" "$p99"; record audit_get_cpu_us "$s" "$rep" "$cpu"
      self_stop
    done
  done
}

# The user "puller" with read on bench/app (also readpath-pass.sh).
auth_puller_setup() { # api base url
  curl -sf -u "admin:$bench_admin_password" -H 'Content-Type: application/json' -d "{\"username\":\"puller\",\"password\":\"$bench_puller_password\"}" "$1/users" >/dev/null
  curl -sf -u "admin:$bench_admin_password" -X PUT -H 'Content-Type: application/json' -d '{"role":"read"}' "$1/repositories/bench/app/permissions/users/puller" >/dev/null
}

# Bearer token for the user "puller" (read on bench/app only), from the token endpoint, as docker would get it.
auth_token() { # port
  curl -sf -u "puller:$bench_puller_password" "http://127.0.0.1:$1/auth/token?service=dockyard&scope=repository:bench/app:pull" | jq -r .token
}

# Checks that the server runs with the auth setting the pass asked for (an anonymous manifest GET's status).
expect_anonymous() { # url status
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' -H "Accept: $accept_manifests" "$1")"
  [[ "$code" == "$2" ]] || { echo "run.sh: anonymous GET $1 answered $code, expected $2" >&2; return 1; }
}

auth_pass() { # repetitions seconds
  local port data url res rps p50 p99 cpu order auth s token api pat issue
  port="$(free_port)"; data="$work/dockyard-auth"; url="http://127.0.0.1:$port/v2/bench/app/manifests/latest"
  api="http://127.0.0.1:$port/api/v1"
  printf 'wrk.method = "GET"\nwrk.headers["Accept"] = "%s"\n' "$accept_manifests" >"$work/auth-off-get.lua"
  self_seed "$port" "$data"
  self_start "$port" "$data" Dockyard__Auth__Enabled=true
  auth_puller_setup "$api"
  token="$(auth_token "$port")"
  [[ -n "$token" && "$token" != null ]] || { echo "run.sh: no token from /auth/token for puller" >&2; return 1; }
  # An access token (no password hash to check: the path every CI pull takes) for the token-issue runs.
  pat="$(curl -sf -u "puller:$bench_puller_password" -H 'Content-Type: application/json' -d '{"name":"bench"}' "$api/me/tokens" | jq -r .secret)"
  [[ -n "$pat" && "$pat" != null ]] || { echo "run.sh: no personal access token for puller" >&2; return 1; }
  printf 'wrk.method = "GET"\nwrk.headers["Authorization"] = "Basic %s"\n' "$(printf 'puller:%s' "$pat" | base64 -w0)" >"$work/token-issue.lua"
  expect_anonymous "$url" 401
  self_stop
  for rep in $(seq 1 "$1"); do
    if (( rep % 2 )); then order="true false"; else order="false true"; fi
    for auth in $order; do
      log "repetition $rep/$1: token auth $auth: manifest GET (load $(cut -d' ' -f1 /proc/loadavg))"
      self_start "$port" "$data" Dockyard__Auth__Enabled="$auth"
      if [[ $auth == true ]]; then expect_anonymous "$url" 401; else expect_anonymous "$url" 200; fi
      if [[ $auth == true ]]; then
        token="$(auth_token "$port")"   # a fresh token every run: tokens live 5 minutes
        printf 'wrk.method = "GET"\nwrk.headers["Accept"] = "%s"\nwrk.headers["Authorization"] = "Bearer %s"\n' "$accept_manifests" "$token" >"$work/auth-on-get.lua"
        script="$work/auth-on-get.lua"; s=auth_on
      else
        script="$work/auth-off-get.lua"; s=auth_off
      fi
      self_wrk 32 "$script" "$url" "$warm" >/dev/null
      res="$(self_wrk 32 "$script" "$url" "$2" "$self_pid")"
      read -r rps p50 p99 cpu <<<"$res"
      record auth_get_rps "$s" "$rep" "$rps"; record auth_get_p99_ms "$s" "$rep" "$p99"; record auth_get_cpu_us "$s" "$rep" "$cpu"
      if [[ $auth == true ]]; then
        log "repetition $rep/$1: token issue (load $(cut -d' ' -f1 /proc/loadavg))"
        issue="http://127.0.0.1:$port/auth/token?service=dockyard&scope=repository:bench/app:pull"
        self_wrk 8 "$work/token-issue.lua" "$issue" "$warm" >/dev/null
        res="$(self_wrk 8 "$work/token-issue.lua" "$issue" "$2" "$self_pid")"
        read -r rps p50 p99 cpu <<<"$res"
        record token_issue_rps auth_on "$rep" "$rps"; record token_issue_p99_ms auth_on "$rep" "$p99"; record token_issue_cpu_us auth_on "$rep" "$cpu"
      fi
      self_stop
    done
  done
}
