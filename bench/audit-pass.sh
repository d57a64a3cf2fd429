# Sourced by run.sh. Pull-audit overhead: manifest GET by tag (wrk, 32 connections) against the same Dockyard data
# directory, the server started afresh for each run with Dockyard:Audit:Pulls=true, then =false (order flipped every
# repetition to cancel drift). Each run is preceded by a 2 s warm-up. Records audit_get_rps / _p99_ms for the servers
# pulls_on and pulls_off.

audit_wrk() { # connections script url seconds → "req/s p50_ms p99_ms"
  local output
  output="$(wrk -t2 -c"$1" -d"$4s" --timeout 5s --latency -s "$2" "$3")"
  if grep -qE 'Non-2xx|Socket errors' <<<"$output"; then
    echo "run.sh: wrk saw errors on $3:" >&2; echo "$output" >&2; return 1
  fi
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "Requests/sec:" { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    END { printf "%s %.3f %.3f\n", rps, p50, p99 }' <<<"$output"
}

audit_start() { # pulls(true|false) port data-dir
  # Anonymous open registry (auth off) as in the other passes: this measures the audit cost, not token validation.
  Dockyard__Auth__Enabled=false Dockyard__Audit__Pulls="$1" dotnet "$dockyard_dll" serve --urls "http://127.0.0.1:$2" --data "$3" >>"$work/dockyard-audit-$1.log" 2>&1 &
  audit_pid=$!; pids+=("$audit_pid")
  wait_ready "http://127.0.0.1:$2/v2/" 30
}

audit_stop() { kill "$audit_pid" 2>/dev/null || true; wait "$audit_pid" 2>/dev/null || true; }

audit_pass() { # repetitions seconds
  local port data accept url res rps p50 p99 order pulls
  port="$(free_port)"; data="$work/dockyard-audit"; url="http://127.0.0.1:$port/v2/bench/app/manifests/latest"
  accept='application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'
  printf 'wrk.method = "GET"\nwrk.headers["Accept"] = "%s"\n' "$accept" >"$work/audit-get.lua"
  audit_start true "$port" "$data"
  "$tool" seed "http://127.0.0.1:$port" bench/app 0 >/dev/null
  audit_stop
  for rep in $(seq 1 "$1"); do
    if (( rep % 2 )); then order="true false"; else order="false true"; fi
    for pulls in $order; do
      log "repetition $rep/$1: pull auditing $pulls: manifest GET"
      audit_start "$pulls" "$port" "$data"
      audit_wrk 32 "$work/audit-get.lua" "$url" 2 >/dev/null
      res="$(audit_wrk 32 "$work/audit-get.lua" "$url" "$2")"
      read -r rps p50 p99 <<<"$res"
      [[ $pulls == true ]] && s=pulls_on || s=pulls_off
      record audit_get_rps "$s" "$rep" "$rps"; record audit_get_p99_ms "$s" "$rep" "$p99"
      audit_stop
    done
  done
}
