#!/usr/bin/env python3
"""Seeds the search index for bench/search.sh straight into Dockyard's database: one million manifests' worth.

  search_seed.py (--sqlite FILE | --psql CONNINFO) --repositories N --orgs N --images-per-repository N
                 --member USERNAME --member-orgs N

Rows are generated inside the database (a recursive CTE on SQLite, generate_series on PostgreSQL), one statement per
table: N organizations (`org0000`…, default member role read), N repositories spread over them (private, a
description), their `search_documents` rows as the indexer writes them (words from a 256-word vocabulary; 10 tags;
labels team=… and maintainer=…; a third multi-arch; every tenth signed; pushes spread over 90 days), and
N × images-per-repository `search_images` rows (the per-manifest facts). USERNAME (created beforehand through the
API) becomes a member of the first member-orgs organizations: with 100 of 1,000 it may pull 10 % of the repositories.
The `search-index` delivery cursor is set, so the server does not rebuild the index from the (empty) tag tables.
This fills only what search reads; the general 1M-manifest generator (manifests, tags, audit) is separate.
Prints `key=value` figures (rows, seconds) on one line.
"""
import argparse
import sqlite3
import subprocess
import sys
import time

TICKS_AT_EPOCH = 621355968000000000  # .NET ticks of 1970-01-01T00:00:00Z
VOCABULARY = (
    "api web pay payments billing auth identity gateway proxy nginx postgres redis kafka search index worker queue "
    "scheduler cron mailer notifier frontend backend admin portal store catalog cart checkout orders invoice ledger "
    "account user profile session token vault secrets config metrics logs traces alert monitor grafana prometheus "
    "loki tempo jaeger envoy istio linkerd ingress edge cdn cache image media video audio stream upload download "
    "storage blob bucket backup restore sync replica mirror registry builder runner agent operator controller "
    "webhook events bus router dns mesh iot device sensor telemetry ml model train serve infer feature vector embed "
    "chat bot assistant translate ocr pdf report export import etl batch spark flink airflow dag pipeline deploy "
    "release canary rollout feature flag experiment ab test qa e2e lint fmt docs wiki blog cms shop market ads "
    "analytics tracker pixel geo maps route fleet driver rider delivery courier warehouse inventory supply vendor "
    "partner crm erp hr payroll recruit onboard learn course quiz exam grade school clinic health patient doctor "
    "booking calendar meeting room ticket support helpdesk status uptime incident oncall pager runbook chaos load "
    "perf bench stress fuzz scan sbom cve policy audit compliance risk fraud kyc aml score credit loan bank card "
    "wallet crypto chain node miner oracle bridge swap dex nft game match lobby score rank chat voice social feed "
    "post comment like follow share invite referral promo coupon loyalty points reward"
).split()[:256]


def die(message):
    print(f"search_seed.py: {message}", file=sys.stderr)
    sys.exit(1)


class Sqlite:
    def __init__(self, path):
        self.db = sqlite3.connect(path, timeout=60)

    def execute(self, sql):
        self.db.execute(sql)
        self.db.commit()

    def scalar(self, sql):
        return self.db.execute(sql).fetchone()[0]

    def series(self, n, select, alias="s"):  # SELECT … over i in 0..n-1
        return f"WITH RECURSIVE {alias}(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM {alias} WHERE i < {n - 1}) {select}"

    def pad(self, expr, width):
        return f"printf('%0{width}d', {expr})"

    def finish(self):
        self.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        self.execute("ANALYZE")


class Postgres:
    def __init__(self, conninfo):
        self.conninfo = conninfo

    def _psql(self, sql):
        result = subprocess.run(["psql", self.conninfo, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql], capture_output=True, text=True)
        if result.returncode != 0:
            die(f"psql: {result.stderr.strip()}")
        return result.stdout.strip()

    def execute(self, sql):
        self._psql(sql)

    def scalar(self, sql):
        return self._psql(sql)

    def series(self, n, select, alias="s"):
        return select.replace("FROM s", f"FROM generate_series(0, {n - 1}) AS {alias}(i)", 1)

    def pad(self, expr, width):
        return f"lpad(CAST({expr} AS text), {width}, '0')"

    def finish(self):
        self.execute("VACUUM ANALYZE search_documents")
        self.execute("VACUUM ANALYZE repositories")
        self.execute("VACUUM ANALYZE organizations")
        self.execute("VACUUM ANALYZE organization_members")


def main():
    parser = argparse.ArgumentParser()
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--sqlite")
    target.add_argument("--psql")
    parser.add_argument("--repositories", type=int, default=100_000)
    parser.add_argument("--orgs", type=int, default=1_000)
    parser.add_argument("--images-per-repository", type=int, default=10)
    parser.add_argument("--member", required=True)
    parser.add_argument("--member-orgs", type=int, default=100)
    args = parser.parse_args()
    db = Sqlite(args.sqlite) if args.sqlite else Postgres(args.psql)
    now_ms = int(time.time() * 1000)
    now = TICKS_AT_EPOCH + now_ms * 10_000
    day = 86_400_000 * 10_000
    user_id = db.scalar(f"SELECT id FROM users WHERE username = '{args.member}'")
    if not user_id:
        die(f"no user {args.member}")
    started = time.monotonic()

    # A helper table, dropped at the end (a temporary table would not outlive one psql call).
    vocab = "bench_vocab"
    db.execute(f"DROP TABLE IF EXISTS {vocab}")
    db.execute(f"CREATE TABLE {vocab} (i integer PRIMARY KEY, w text NOT NULL)")
    db.execute(f"INSERT INTO {vocab} (i, w) VALUES " + ", ".join(f"({i}, '{w}')" for i, w in enumerate(VOCABULARY)))
    size = len(VOCABULARY)

    org = f"'org' || {db.pad('i', 4)}"
    insert_orgs = "INSERT INTO organizations (name, description, default_member_role, created_at) "
    org_select = f"SELECT {org}, NULL, 'Read', {now} FROM s"
    db.execute(insert_orgs + db.series(args.orgs, org_select) if args.sqlite else db.series(args.orgs, insert_orgs + org_select))
    db.execute(f"INSERT INTO organization_members (organization_id, user_id, is_owner, created_at) "
               f"SELECT id, {user_id}, (1 = 0), {now} FROM organizations WHERE name < 'org{args.member_orgs:04d}' AND name LIKE 'org%'")

    # One repository: org, two vocabulary words and its number; the words that describe it come from the vocabulary
    # by different strides, so each word is in about 1/256 of the names and a few percent of everything.
    n = args.repositories
    w = lambda k, stride, x="s.i": f"(SELECT w FROM {vocab} WHERE i = (({x} * {stride} + {k}) % {size}))"
    name_of = lambda x: f"'org' || {db.pad(f'({x}) % {args.orgs}', 4)} || '/' || {w(0, 7, x)} || '-' || {w(1, 13, x)} || '-' || CAST({x} AS text)"
    name = name_of("s.i")
    name_words = f"'org' || {db.pad(f's.i % {args.orgs}', 4)} || ' ' || {w(0, 7)} || ' ' || {w(1, 13)} || ' ' || CAST(s.i AS text)"
    description = f"{w(2, 17)} || ' ' || {w(3, 19)} || ' service for ' || {w(4, 23)}"
    multi = "(s.i % 3 = 0)"
    pushed = f"({now} - (CAST(s.i AS bigint) * 7919 % 90) * {day} - CAST(s.i % 86400 AS bigint) * 10000000)"
    repo_select = f"SELECT {name}, 'Private', {description}, {now}, 0 FROM s"
    insert_repos = "INSERT INTO repositories (name, visibility, description, created_at, pull_count) "
    db.execute(insert_repos + db.series(n, repo_select) if args.sqlite else db.series(n, insert_repos + repo_select))

    doc_select = (
        f"SELECT {name}, 'org' || {db.pad(f's.i % {args.orgs}', 4)}, {name_words}, {description}, "
        f"'1 ' || CAST(s.i % 9 AS text) || ' latest stable v' || CAST(s.i % 5 AS text), "
        f"'team ' || {w(5, 29)} || ' maintainer ' || {w(6, 31)} || ' org opencontainers image source https git example com', "
        f"'org opencontainers image created revision ' || {w(7, 37)}, "
        f"CASE WHEN {multi} THEN 'linux amd64 arm64 v8 debian bookworm' ELSE 'linux amd64 alpine 3 19' END, "
        f"char(10) || 'maintainer=' || {w(6, 31)} || char(10) || 'team=' || {w(5, 29)} || char(10), "
        f"CASE WHEN {multi} THEN ' amd64 arm64 ' ELSE ' amd64 ' END, "
        f"CASE WHEN {multi} THEN 'linux/amd64,linux/arm64/v8' ELSE 'linux/amd64' END, "
        f"'latest,stable,1.' || CAST(s.i % 9 AS text) || '.0', 10, {pushed}, (s.i % 10 = 0), {now} FROM s"
    )
    if args.psql:
        doc_select = doc_select.replace("char(10)", "chr(10)")
    insert_docs = ("INSERT INTO search_documents (repository, organization, name_words, description_words, tag_words, label_words, "
                   "annotation_words, image_words, labels, architectures, platforms, recent_tags, tag_count, last_pushed_at, signed, indexed_at) ")
    db.execute(insert_docs + db.series(n, doc_select) if args.sqlite else db.series(n, insert_docs + doc_select))

    # The per-manifest facts: images-per-repository rows per repository (digests are fake but unique).
    k = args.images_per_repository
    image_select = f"SELECT {name_of(f'm.i / {k}')}, 'sha256:' || {db.pad('m.i', 64)}, 'team=x', '', 'linux/amd64', NULL FROM m"
    insert_images = "INSERT INTO search_images (repository, digest, labels, annotations, platforms, base_image) "
    if args.sqlite:
        db.execute(insert_images + db.series(n * k, image_select, alias="m"))
    else:
        db.execute(insert_images + image_select.replace("FROM m", f"FROM generate_series(0, {n * k - 1}) AS m(i)", 1))

    db.execute(f"INSERT INTO delivery_cursors (name, position, updated_at) VALUES ('search-index', {n}, {now}) "
               f"ON CONFLICT (name) DO UPDATE SET position = excluded.position")
    db.execute(f"DROP TABLE {vocab}")
    db.finish()
    documents = db.scalar("SELECT count(*) FROM search_documents")
    images = db.scalar("SELECT count(*) FROM search_images")
    visible = db.scalar(f"SELECT count(*) FROM repositories WHERE name < 'org{args.member_orgs:04d}/'")
    print(f"documents={documents} images={images} organizations={args.orgs} visible={visible} seconds={time.monotonic() - started:.1f}")


if __name__ == "__main__":
    main()
