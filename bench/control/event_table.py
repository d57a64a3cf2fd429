#!/usr/bin/env python3
"""Seeds and counts the engine-events table for bench/control.sh, by the column mapping in engine-events.map.

  event_table.py seed  (--sqlite FILE | --psql CONNINFO) --rows N --nodes ID1,ID2 --engines manager,worker
  event_table.py count (--sqlite FILE | --psql CONNINFO) [--since-unix-ms MS] [--action A]   → "total=… <type>=…"
  event_table.py span  (--sqlite FILE | --psql CONNINFO)                                    → "rows=…"

Rows are generated inside the database (a recursive CTE on SQLite, generate_series on PostgreSQL), one statement.
"""
import argparse
import datetime
import os
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TICKS_AT_EPOCH = 621355968000000000  # .NET ticks of 1970-01-01T00:00:00Z
TYPES = ["container"] * 16 + ["image", "network", "service", "node"]
ACTIONS = ["create", "start", "die", "stop", "kill", "destroy", "exec_start", "attach", "pause", "unpause"]
SPAN_DAYS = 30


def die(message):
    print(f"event_table.py: {message}", file=sys.stderr)
    sys.exit(1)


def read_map():
    table, columns = None, []
    with open(os.path.join(HERE, "engine-events.map")) as mapping:
        for line in mapping:
            line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
            if not line:
                continue
            key, value = line.split(None, 1)
            if key == "table":
                table = value.strip()
            else:
                columns.append((key, value.strip()))
    if not table:
        die("engine-events.map names no table")
    return table, columns


class Sqlite:
    def __init__(self, path):
        self.db = sqlite3.connect(path, timeout=60)

    def columns(self, table):
        rows = self.db.execute(f'PRAGMA table_info("{table}")').fetchall()
        # cid, name, type, notnull, default, pk
        return {r[1]: (r[2].lower(), bool(r[3]) and r[4] is None and not r[5]) for r in rows}

    def query(self, sql):
        return self.db.execute(sql).fetchall()

    def execute(self, sql):
        self.db.execute(sql)
        self.db.commit()

    def series(self, n, select):
        return f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) {select} FROM s"

    def hex_id(self):
        return "printf('%064x', 1000003 * (i % 5000) + 17)"

    def text(self, expr):
        return f"CAST({expr} AS TEXT)"


class Postgres:
    def __init__(self, conninfo):
        self.conninfo = conninfo

    def _psql(self, sql):
        result = subprocess.run(["psql", self.conninfo, "-v", "ON_ERROR_STOP=1", "-At", "-F", "\t", "-c", sql],
                                capture_output=True, text=True)
        if result.returncode != 0:
            die(f"psql: {result.stderr.strip()}")
        return result.stdout

    def columns(self, table):
        out = self._psql("SELECT column_name, data_type, is_nullable, column_default IS NOT NULL OR is_identity = 'YES' "
                         f"FROM information_schema.columns WHERE table_name = '{table}' AND table_schema = current_schema()")
        cols = {}
        for line in out.splitlines():
            name, data_type, nullable, has_default = line.split("\t")
            cols[name] = (data_type.lower(), nullable == "NO" and has_default != "t")
        return cols

    def query(self, sql):
        return [tuple(line.split("\t")) for line in self._psql(sql).splitlines()]

    def execute(self, sql):
        self._psql(sql)

    def series(self, n, select):
        return f"{select} FROM generate_series(1::bigint, {n}) AS s(i)"

    def hex_id(self):
        return "lpad(to_hex(1000003 * (i % 5000) + 17), 64, '0')"

    def text(self, expr):
        return f"({expr})::text"


def case(expr, values):
    whens = " ".join(f"WHEN {k} THEN {literal(v)}" for k, v in enumerate(values))
    return f"CASE {expr} {whens} END"


def literal(value):
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"


TIME_GENERATORS = ("time_ticks", "time_unix_nano")


def time_expr(db, generator_name, column_type, newest_unix_ms, step_ms):
    unix_ms = f"({newest_unix_ms} - (i - 1) * {step_ms})"
    if generator_name == "time_unix_nano":
        return f"({unix_ms} * 1000000)"
    if "int" in column_type:
        return f"({TICKS_AT_EPOCH} + {unix_ms} * 10000)"
    if "timestamp" in column_type:
        return f"to_timestamp({unix_ms} / 1000.0)"
    if isinstance(db, Sqlite):
        return f"strftime('%Y-%m-%dT%H:%M:%fZ', {unix_ms} / 1000.0, 'unixepoch')"
    return f"to_char(to_timestamp({unix_ms} / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"


def generator(db, name, column_type, nodes, engines, newest_unix_ms, step_ms):
    if name in TIME_GENERATORS:
        return time_expr(db, name, column_type, newest_unix_ms, step_ms)
    if name == "type":
        return case(f"(i % {len(TYPES)})", TYPES)
    if name == "action":
        return case(f"((i / 7) % {len(ACTIONS)})", ACTIONS)
    if name == "actor_id":
        return db.hex_id()
    if name == "actor_name":
        return "'bench-' || " + db.text("i % 5000")
    if name == "attributes":
        expr = "'{\"name\":\"bench-' || " + db.text("i % 5000") + " || '\",\"image\":\"dockyard-bench/busybox\"}'"
        return f"({expr})::jsonb" if column_type == "jsonb" else expr
    if name == "node":
        return case("(i % 2)", nodes)
    if name == "engine":
        return case("(i % 2)", engines)
    if name == "user":
        return "CASE WHEN i % 20 = 0 THEN 'admin' ELSE NULL END"
    if name == "scope":
        return "CASE WHEN i % 10 = 0 THEN 'swarm' ELSE 'local' END"
    if name == "unique":
        return "'bench-seed-' || " + db.text("i")
    if name == "false":
        return "FALSE" if column_type == "boolean" else "0"
    if name == "null":
        return "NULL"
    if name.startswith("const:"):
        return name[len("const:"):]
    die(f"unknown generator {name!r} in engine-events.map")


def check(table, mapping, actual):
    if not actual:
        die(f"table {table!r} does not exist (events persistence not merged yet, or engine-events.map names the wrong table)")
    described = ", ".join(f"{c} {t}{' NOT NULL' if required else ''}" for c, (t, required) in actual.items())
    missing = [c for c, _ in mapping if c not in actual]
    if missing:
        die(f"engine-events.map maps columns {missing} that {table} lacks; its columns: {described}")
    unmapped = [c for c, (_, required) in actual.items() if required and c not in dict(mapping)]
    if unmapped:
        die(f"{table} has NOT NULL columns without default that engine-events.map does not map: {unmapped}; its columns: {described}")


def connect(args):
    return Sqlite(args.sqlite) if args.sqlite else Postgres(args.psql)


def column_of(mapping, *generator_names):
    for column, gen in mapping:
        if gen in generator_names:
            return column
    die(f"engine-events.map maps no column to {generator_name}")


def unix_ms_to_db(generator_name, column_type, unix_ms):
    if generator_name == "time_unix_nano":
        return str(unix_ms * 1_000_000)
    if "int" in column_type:
        return str(TICKS_AT_EPOCH + unix_ms * 10000)
    iso = datetime.datetime.fromtimestamp(unix_ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"'{iso}'"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["seed", "count", "span"])
    parser.add_argument("--sqlite")
    parser.add_argument("--psql")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--nodes", default="node-a,node-b")
    parser.add_argument("--engines", default="manager,worker")
    parser.add_argument("--since-unix-ms", type=int, default=0)
    parser.add_argument("--action", help="count only events with this action")
    args = parser.parse_args()
    if bool(args.sqlite) == bool(args.psql):
        die("give exactly one of --sqlite FILE or --psql CONNINFO")
    if args.sqlite and not os.path.exists(args.sqlite):
        die(f"{args.sqlite} does not exist")
    table, mapping = read_map()
    db = connect(args)
    actual = db.columns(table)
    check(table, mapping, actual)
    time_column = column_of(mapping, *TIME_GENERATORS)
    time_type = actual[time_column][0]
    time_generator = dict(mapping)[time_column]

    if args.command == "seed":
        newest = int(time.time() * 1000) - 60_000
        step = max(1, SPAN_DAYS * 86_400_000 // args.rows)
        columns = ", ".join(f'"{c}"' for c, _ in mapping)
        values = ", ".join(generator(db, g, actual[c][0], args.nodes.split(","), args.engines.split(","), newest, step) for c, g in mapping)
        started = time.monotonic()
        db.execute(f'INSERT INTO "{table}" ({columns}) ' + db.series(args.rows, f"SELECT {values}"))
        db.execute(f'ANALYZE "{table}"')
        print(f"rows={args.rows} seconds={time.monotonic() - started:.1f} newest_unix_ms={newest} oldest_unix_ms={newest - (args.rows - 1) * step}")
    elif args.command == "count":
        type_column = column_of(mapping, "type")
        since = unix_ms_to_db(time_generator, time_type, args.since_unix_ms)
        where = f'"{time_column}" >= {since}'
        if args.action:
            where += f' AND "{column_of(mapping, "action")}" = {literal(args.action)}'
        rows = db.query(f'SELECT "{type_column}", count(*) FROM "{table}" WHERE {where} GROUP BY "{type_column}"')
        total = sum(int(n) for _, n in rows)
        print(f"total={total} " + " ".join(f"{t}={n}" for t, n in rows))
    else:
        rows = db.query(f'SELECT count(*) FROM "{table}"')
        print(f"rows={rows[0][0]}")


if __name__ == "__main__":
    main()
