# Sourced by run.sh (after audit-pass.sh, whose self_start/self_stop/self_seed/self_wrk it uses). Issue #15 gap 5:
# Dockyard against itself with pull counting on and off (Dockyard:Ui:PullCounts true vs false; auth off, pull
# auditing at its default), the server restarted per run, order alternating per repetition, each run after a
# warm-up under the same load, then wrk manifest GET by tag (32 connections).   → servers counts_on / counts_off
# After each counting run the pass checks that the pulls were counted: it waits one flush interval (5 s, the
# default) and reads the repository's pullCount from /api/v1, which must have grown by at least the requests wrk made
# in the measured run.

pullcount_pass() { # repetitions seconds
  local port data url api res rps p50 p99 cpu order counts s before after
  port="$(free_port)"; data="$work/dockyard-pullcount"; url="http://127.0.0.1:$port/v2/bench/app/manifests/latest"
  api="http://127.0.0.1:$port/api/v1/repositories/bench/app"
  printf 'wrk.method = "GET"\nwrk.headers["Accept"] = "%s"\n' "$accept_manifests" >"$work/pullcount-get.lua"
  self_seed "$port" "$data"
  for rep in $(seq 1 "$1"); do
    if (( rep % 2 )); then order="true false"; else order="false true"; fi
    for counts in $order; do
      log "repetition $rep/$1: pull counts $counts: manifest GET (load $(cut -d' ' -f1 /proc/loadavg))"
      self_start "$port" "$data" Dockyard__Auth__Enabled=false Dockyard__Ui__PullCounts="$counts"
      expect_anonymous "$url" 200
      self_wrk 32 "$work/pullcount-get.lua" "$url" "$warm" >/dev/null
      sleep 6   # the warm-up's pulls flushed before the measured run starts
      before="$(curl -sf -u "admin:$bench_admin_password" "$api" | jq .pullCount)"
      res="$(self_wrk 32 "$work/pullcount-get.lua" "$url" "$2" "$self_pid")"
      read -r rps p50 p99 cpu <<<"$res"
      [[ $counts == true ]] && s=counts_on || s=counts_off
      record pullcount_get_rps "$s" "$rep" "$rps"; record pullcount_get_p99_ms "$s" "$rep" "$p99"; record pullcount_get_cpu_us "$s" "$rep" "$cpu"
      sleep 6
      after="$(curl -sf -u "admin:$bench_admin_password" "$api" | jq .pullCount)"
      if [[ $counts == true ]]; then
        # wrk's req/s × seconds is an estimate of the requests; at least 90 % of them must have been counted.
        awk -v d=$((after - before)) -v r="$rps" -v t="$2" 'BEGIN { exit !(d >= 0.9 * r * t) }' \
          || { echo "run.sh: pull counts on, but pullCount grew by $((after - before)) for ~$rps req/s x $2 s" >&2; return 1; }
        record pullcount_counted counts_on "$rep" "$((after - before))"
      else
        [[ "$after" == "$before" ]] || { echo "run.sh: pull counts off, but pullCount moved from $before to $after" >&2; return 1; }
      fi
      self_stop
    done
  done
}
