# Sourced by run.sh: the write rows of issue #19 (concurrent writes), measured in every comparison run and alone by
# `bench/run.sh --writes`.
#   writes_rows REP SERVER...   small blobs (4 KiB, POST + monolithic PUT) over 1, 8 and 32 connections, and one
#                               manifest PUT under $tags_n new tags, sequential and over 8 connections; records
#                               blobs/s or tags/s and the per-operation p99 for each server, alternating servers.
#   writes_mode                 --writes: the rows above against Dockyard on SQLite, Distribution and Dockyard on a
#                               private, durable PostgreSQL 15 (bench/postgres.sh: fsync and synchronous_commit on),
#                               $reps repetitions → bench/results/writes.md.
writes_connections=(1 8 32)

writes_rows() {
  local rep="$1" s c res rate p50 p99
  shift
  for c in "${writes_connections[@]}"; do
    for s in "$@"; do
      log "repetition $rep: $s $small_n small blobs over $c connection(s)"
      res="$("$tool" small "${URL[$s]}" "bench/small$rep-c$c" "$small_n" "$small_size" "$((rep * 100 + ${#s} + c * 10000))" "$c")"
      read -r rate p50 p99 <<<"$res"
      # The 1-connection figure keeps its historical metric name (small_blobs_per_s).
      if [[ $c == 1 ]]; then record small_blobs_per_s "$s" "$rep" "$rate"; else record "small_c${c}_per_s" "$s" "$rep" "$rate"; fi
      record "small_c${c}_p99_ms" "$s" "$rep" "$p99"
    done
  done
  for c in 1 8; do
    for s in "$@"; do
      log "repetition $rep: $s manifest PUT under $tags_n tags over $c connection(s)"
      res="$("$tool" tagput "${URL[$s]}" "bench/tagput$rep-c$c" "$tags_n" "$c" "$rep")"
      read -r rate p50 p99 <<<"$res"
      record "tagput_c${c}_per_s" "$s" "$rep" "$rate"; record "tagput_c${c}_p99_ms" "$s" "$rep" "$p99"
    done
  done
}

writes_mode() {
  source "$bench/postgres.sh"
  local pid_pg port_pg
  pg_start "$work/pg" durable
  pg_running=1
  port_pg="$(free_port)"
  URL[dockyard_pg]="http://127.0.0.1:$port_pg"
  log "starting Dockyard on PostgreSQL (port $pg_port) on ${URL[dockyard_pg]}"
  Dockyard__Database__Provider=Postgres Dockyard__Database__ConnectionString="$pg_connection" \
    "${dockyard[@]}" serve --urls "${URL[dockyard_pg]}" --data "$work/dockyard-pg" >"$work/dockyard-pg.log" 2>&1 &
  pid_pg=$!; pids+=("$pid_pg"); PID[dockyard_pg]="$pid_pg"
  wait_ready "${URL[dockyard_pg]}/v2/" 120 "$pid_pg" || { tail -n 20 "$work/dockyard-pg.log" >&2; exit 1; }
  for rep in $(seq 1 "$reps"); do
    writes_rows "$rep" dockyard distribution dockyard_pg
  done
  write_meta
  python3 "$bench/report.py" "$raw" "$work/meta.txt" >"$out"
  cat "$out"
  log "wrote $out (raw figures: $raw)"
}
