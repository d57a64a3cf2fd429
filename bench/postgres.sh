# Sourced by control.sh and writes-pass.sh: a private PostgreSQL 15 cluster as tests/…/Infrastructure/PostgresFixture.cs
# starts it (loopback only, trust auth, a free port, its socket in its own directory). Runs as root (runuser postgres).
#   pg_start DIR [durable]   initdb DIR/data and start it; sets pg_port and pg_connection (a Dockyard connection string)
#                            and creates the database "dockyard". Without "durable": fsync, synchronous_commit and
#                            full-page writes off (read passes); with it: PostgreSQL's durable defaults (write passes).
#   pg_stop DIR              stops it if it runs
pg_bin=/usr/lib/postgresql/15/bin

pg_start() {
  local dir="$1" durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [[ "${2:-}" != durable ]] || durability=""
  chmod 711 "$(dirname "$dir")"   # mktemp made the work dir 0700: the postgres user must reach its directory inside
  mkdir -p "$dir"; chown postgres:postgres "$dir"
  (cd "$dir" && runuser -u postgres -- "$pg_bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null)
  pg_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  # shellcheck disable=SC2086 # durability is a list of options
  (cd "$dir" && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start \
    -o "-p $pg_port -k $dir -c listen_addresses=127.0.0.1 $durability -c max_connections=200" >/dev/null)
  psql "host=127.0.0.1 port=$pg_port user=postgres dbname=postgres" -qc 'CREATE DATABASE dockyard' >/dev/null
  pg_connection="Host=127.0.0.1;Port=$pg_port;Database=dockyard;Username=postgres"
}

pg_stop() {
  [[ -f "$1/data/postmaster.pid" ]] || return 0
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$1/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
}
