#!/usr/bin/env python3
"""Turns bench/run.sh's raw figures (metric, server, rep, value) into the Markdown results table."""
import os
import statistics
import sys
from collections import defaultdict

SELF_PREFIXES = ("audit_", "auth_", "token_", "trust_", "sig5_", "pullcount_", "readpath_")   # Dockyard against itself, no Distribution
TRUST_SUMMARY = "Summary: "   # the line of trust.md that latest.md's "Content trust" section repeats


def trust_section(trust_md):
    """latest.md's "Content trust" section: where the figures are, and trust.md's summary line."""
    text = open(trust_md).read()
    summary = next((line[len(TRUST_SUMMARY):] for line in text.splitlines() if line.startswith(TRUST_SUMMARY)), None)
    mode = next((line[len("mode="):line.find(" reps=")] for line in text.splitlines() if line.startswith("mode=")), "?")
    when = next((line.split()[0][len("date="):] for line in text.splitlines() if line.startswith("date=")), "?")
    lines = ["## Content trust", "",
             f"Measured separately by `bench/run.sh --trust` (issue #18; run of {when}, mode {mode}): tables and set-up in [trust.md](trust.md).", ""]
    if summary:
        lines += [summary, ""]
    return lines


# report.py --latest-section LATEST TRUST_MD: replaces (or adds) latest.md's "Content trust" section, keeping the rest.
if sys.argv[1] == "--latest-section":
    import re
    latest, trust_md = sys.argv[2], sys.argv[3]
    text = open(latest).read()
    text = re.sub(r"\n## Content trust\n.*?(?=\n## |\Z)", "", text, flags=re.S).rstrip("\n") + "\n"
    open(latest, "w").write(text + "\n" + "\n".join(trust_section(trust_md)))
    sys.exit(0)

raw_path, meta_path = sys.argv[1], sys.argv[2]
values = defaultdict(list)
with open(raw_path) as raw:
    for line in raw:
        metric, server, _rep, value = line.rstrip("\n").split("\t")
        values[(metric, server)].append(float(value))

CEILINGS = [
    ("ceil_sha256_mbps", "SHA-256 (.NET IncrementalHash, 1 core)", "MB/s"),
    ("ceil_disk_fsync_mbps", "Disk write, 1 MiB blocks + fsync (dd conv=fsync)", "MB/s"),
    ("ceil_fsync4k_per_s", "Disk 4 KiB writes, each synced (dd oflag=dsync)", "writes/s"),
    ("ceil_loopback_1_mbps", "Loopback HTTP, nginx sendfile, 1 stream", "MB/s"),
    ("ceil_loopback_16_mbps", "Loopback HTTP, nginx sendfile, 16 streams", "MB/s"),
]

# metric, label, unit, higher-is-better, ratio target (op, x) or None, ceiling metric, ceiling-share target, absolute target (op, x)
ROWS = [
    ("manifest_get_rps", "Manifest GET by tag, 32 conns", "req/s", True, (">=", 4.0), None, None, None),
    ("manifest_get_p50_ms", "  p50 latency", "ms", False, None, None, None, None),
    ("manifest_get_p99_ms", "  p99 latency", "ms", False, ("<=", 0.25), None, None, None),
    ("manifest_head_rps", "Manifest HEAD by tag, 32 conns (load tool)", "req/s", True, None, None, None, None),
    ("manifest_head_p50_ms", "  p50 latency", "ms", False, None, None, None, None),
    ("manifest_head_p99_ms", "  p99 latency", "ms", False, None, None, None, None),
    ("blob_get_1_mbps", "Blob GET, 1 stream", "MB/s", True, None, "ceil_loopback_1_mbps", 0.80, None),
    ("blob_get_16_mbps", "Blob GET, 16 streams", "MB/s", True, None, "ceil_loopback_16_mbps", 0.90, None),
    ("push_mono_mbps", "Blob push, monolithic", "MB/s", True, (">=", 3.0), "ceil_sha256_mbps", 0.60, None),
    ("push_chunked_mbps", "Blob push, chunked", "MB/s", True, (">=", 3.0), "ceil_sha256_mbps", 0.60, None),
    # --- write rows (issue #19, bench/writes-pass.sh)
    ("small_blobs_per_s", "Small blobs (4 KiB), 1 connection", "blobs/s", True, (">=", 1.0), None, None, None),
    ("small_c1_p99_ms", "  p99 latency per blob", "ms", False, None, None, None, None),
    ("small_c8_per_s", "Small blobs (4 KiB), 8 connections", "blobs/s", True, (">=", 1.5), None, None, None),
    ("small_c8_p99_ms", "  p99 latency per blob", "ms", False, ("<=", 2.0), None, None, None),
    ("small_c32_per_s", "Small blobs (4 KiB), 32 connections", "blobs/s", True, (">=", 1.5), None, None, None),
    ("small_c32_p99_ms", "  p99 latency per blob", "ms", False, ("<=", 2.0), None, None, None),
    ("tagput_c1_per_s", "Manifest PUT with a new tag, sequential", "tags/s", True, (">=", 1.0), None, None, None),
    ("tagput_c1_p99_ms", "  p99 latency", "ms", False, None, None, None, None),
    ("tagput_c8_per_s", "Manifest PUT with a new tag, 8 connections", "tags/s", True, (">=", 1.0), None, None, None),
    ("tagput_c8_p99_ms", "  p99 latency", "ms", False, None, None, None, None),
    # --- end of write rows
    ("tags_list_rps", "tags/list, 16 conns", "req/s", True, (">=", 2.0), None, None, None),
    ("tags_list_p50_ms", "  p50 latency", "ms", False, None, None, None, None),
    ("tags_list_p99_ms", "  p99 latency", "ms", False, None, None, None, None),
    ("skopeo_push_mbps", "skopeo copy push (image)", "MB/s", True, (">=", 1.5), None, None, None),
    ("skopeo_pull_mbps", "skopeo copy pull (image)", "MB/s", True, (">=", 1.2), None, None, None),
    ("rss_idle_mib", "RSS idle (after start)", "MiB", False, None, None, None, ("<=", 100)),
    ("rss_peak_mib", "RSS peak (whole run)", "MiB", False, None, None, None, ("<=", 256)),
    ("rss_after_load_mib", "RSS 5 s after the load", "MiB", False, None, None, None, None),
    ("coldstart_ms", "Cold start to first 200", "ms", False, None, None, None, ("<=", 1000)),
    ("restart_ms", "  restart on existing data", "ms", False, None, None, None, None),
]


def fmt(x):
    if x is None:
        return "—"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def summary(metric, server):
    xs = values.get((metric, server))
    if not xs:
        return None, "—"
    med = statistics.median(xs)
    if len(xs) == 1:
        return med, fmt(med)
    return med, f"{fmt(med)} ({fmt(min(xs))}–{fmt(max(xs))})"


def check(op, actual, goal):
    return actual >= goal if op == ">=" else actual <= goal


out = []
meta = open(meta_path).read().strip().splitlines()
has_main = any(server != "machine" and not metric.startswith(SELF_PREFIXES) for (metric, server) in values)
trust_only = not has_main and all(metric.startswith(("trust_", "sig5_")) for (metric, _server) in values)
if trust_only:
    out.append("# Content trust: benchmark results")
    out.append("")
    out.append("Generated by `bench/run.sh --trust` (issue #18): Dockyard against itself, one server, one run, loopback,")
    out.append("filesystem storage in a fresh temp dir, auth off on `/v2` (anonymous pulls), an administrator's access token")
    out.append("on `/api/v1`. Figures are medians over the repetitions with the range in parentheses. The load generators")
    out.append("(wrk, the Python client) share the machine's cores with the server.")
else:
    out.append("# Dockyard vs Distribution: benchmark results")
    out.append("")
    out.append("Generated by `bench/run.sh`. Figures are medians over the repetitions with the range in parentheses;")
    out.append("ratio = Dockyard / Distribution (medians); share = Dockyard / this machine's ceiling measured in the same run.")
    out.append("Both servers: loopback, filesystem storage in fresh temp dirs, no auth, no access logs. Distribution 2.8.2 runs")
    out.append("with `storage.cache.blobdescriptor: inmemory` (its example config) and does not fsync; Dockyard fsyncs every blob.")
    out.append("HEAD runs use bench/Dockyard.Bench `load` (raw sockets) because wrk hangs on HEAD answers; it costs more CPU than wrk.")
    out.append("The load generators (wrk, the .NET client, skopeo) share the machine's cores with the server under test.")
    out.append("Token auth is measured separately below (Dockyard vs itself); the comparison table runs Dockyard with auth off.")
out.append("")
out.append("```")
out.extend(meta)
out.append("```")
out.append("")
# Self-pass-only runs (--audit, --auth, --trust) have no comparison tables.
if has_main and any(server == "machine" for (_metric, server) in values):
    out.append("## Machine ceilings")
    out.append("")
    out.append("| Ceiling | Median (range) | Unit |")
    out.append("|---|---|---|")
    for metric, label, unit in CEILINGS:
        out.append(f"| {label} | {summary(metric, 'machine')[1]} | {unit} |")
    out.append("")

# The comparison table; with --writes also Dockyard on PostgreSQL against the same run's Distribution.
for dockyard_server, title in (("dockyard", "Dockyard vs Distribution"), ("dockyard_pg", "Dockyard on PostgreSQL vs Distribution")):
    if not has_main or not any(server == dockyard_server for (_metric, server) in values):
        continue
    out.append(f"## {title}")
    out.append("")
    out.append("| Benchmark | Unit | Dockyard | Distribution | Ratio D/D | Share of ceiling | Target | Met |")
    out.append("|---|---|---|---|---|---|---|---|")
    for metric, label, unit, _higher, ratio_target, ceiling, share_target, absolute in ROWS:
        if summary(metric, dockyard_server)[0] is None and summary(metric, "distribution")[0] is None:
            continue   # not measured in this mode (--writes measures the write rows only)
        a_med, a_text = summary(metric, dockyard_server)
        b_med, b_text = summary(metric, "distribution")
        ratio = a_med / b_med if a_med is not None and b_med else None
        share = None
        if ceiling is not None:
            c_med, _ = summary(ceiling, "machine")
            share = a_med / c_med if a_med is not None and c_med else None
        targets, verdicts = [], []
        if ratio_target is not None:
            op, goal = ratio_target
            targets.append(f"ratio {'≥' if op == '>=' else '≤'} {goal:g}×")
            if ratio is not None:
                verdicts.append(check(op, ratio, goal))
        if share_target is not None:
            targets.append(f"share ≥ {share_target:.0%}")
            if share is not None:
                verdicts.append(share >= share_target)
        if absolute is not None:
            op, goal = absolute
            targets.append(f"{'≥' if op == '>=' else '≤'} {goal:g} {unit}")
            if a_med is not None:
                verdicts.append(check(op, a_med, goal))
        met = "—" if not verdicts else ("yes" if all(verdicts) else "**no**")
        out.append(
            f"| {label} | {unit} | {a_text} | {b_text} | {fmt(ratio) + '×' if ratio is not None else '—'} | "
            f"{f'{share:.0%}' if share is not None else '—'} | {', '.join(targets) or '—'} | {met} |")
    out.append("")


def self_section(prefix, on, off, title, intro, on_label, off_label, target):
    on_med, on_text = summary(f"{prefix}_get_rps", on)
    off_med, off_text = summary(f"{prefix}_get_rps", off)
    if on_med is None and off_med is None:
        return
    ratio = on_med / off_med if on_med is not None and off_med else None
    cpu_on, cpu_on_text = summary(f"{prefix}_get_cpu_us", on)
    cpu_off, cpu_off_text = summary(f"{prefix}_get_cpu_us", off)
    cpu_ratio = cpu_off / cpu_on if cpu_on and cpu_off else None
    out.append(f"## {title}")
    out.append("")
    out.extend(intro)
    out.append("")
    out.append(f"| Benchmark | Unit | {on_label} | {off_label} | Ratio on/off | Target | Met |")
    out.append("|---|---|---|---|---|---|---|")
    met = "—" if ratio is None or target is None else ("yes" if ratio >= target else "**no**")
    goal = f"ratio ≥ {target:g}×" if target is not None else "—"
    out.append(f"| Manifest GET by tag | req/s | {on_text} | {off_text} | {fmt(ratio) + '×' if ratio is not None else '—'} | {goal} | {met} |")
    out.append(f"|   p99 latency | ms | {summary(f'{prefix}_get_p99_ms', on)[1]} | {summary(f'{prefix}_get_p99_ms', off)[1]} | — | — | — |")
    if cpu_on is not None or cpu_off is not None:
        out.append(f"|   server CPU per request (off/on) | µs | {cpu_on_text} | {cpu_off_text} | {fmt(cpu_ratio) + '×' if cpu_ratio is not None else '—'} | — | — |")
    issue_med, issue_text = summary(f"token_issue_rps", on) if prefix == "auth" else (None, "—")
    if issue_med is not None:
        out.append(f"| Token issue (access token as password) | req/s | {issue_text} | — | — | — | — |")
        out.append(f"|   p99 latency | ms | {summary('token_issue_p99_ms', on)[1]} | — | — | — | — |")
        out.append(f"|   server CPU per request | µs | {summary('token_issue_cpu_us', on)[1]} | — | — | — | — |")
    out.append("")


self_section(
    "audit", "pulls_on", "pulls_off", "Pull auditing (Dockyard vs itself)",
    ["Manifest GET by tag, 32 connections, same data directory; the server is restarted for every run with",
     "`Dockyard:Audit:Pulls` true or false (order alternating per repetition), each run after a warm-up under the same",
     "load (`warm=` in the mode line: a fresh process needs 10–15 s of load to finish tiered JIT compilation).",
     "CPU per request: the server's utime+stime over the run / requests (steadier than req/s on a busy machine)."],
    "Pulls audited", "Not audited", 0.90)
self_section(
    "pullcount", "counts_on", "counts_off", "Pull counts (Dockyard vs itself)",
    ["Manifest GET by tag, 32 connections, same data directory; the server is restarted for every run with",
     "`Dockyard:Ui:PullCounts` true or false (order alternating per repetition; auth off, pull auditing on in both),",
     "each run after a warm-up under the same load. Counting is off the request path (in memory, flushed every 5 s);",
     "each counting run checks that pullCount grew by at least 90 % of the requests made (`bench/pullcount-pass.sh`)."],
    "Pulls counted", "Not counted", 0.90)
self_section(
    "auth", "auth_on", "auth_off", "Token auth (Dockyard vs itself)",
    ["Manifest GET by tag, 32 connections, same data directory, server restarted per run with `Dockyard:Auth:Enabled`",
     "true or false (order alternating). Auth on: every request carries one bearer token that `/auth/token` issued to",
     "a user with read on the repository (fetched once per run, as a client does per pull); pull auditing on in both.",
     "Token issue: in each auth-on run, 8 connections ask `/auth/token` for a pull token with the user's personal access",
     "token as the Basic password (no password hash on this path)."],
    "Auth on", "Auth off", None)
self_section(
    "trust", "policy", "none", "Signature policy on pull (Dockyard vs itself)",
    ["Manifest GET by tag, 32 connections, one server and one run (`bench/run.sh --trust`): `trust/guarded` is covered by",
     "a pull policy (\"any trusted key of trust\") and signed by such a key, so every GET checks it and passes (verdict",
     "cached); `trust/open` is covered by no policy. Same image in both, order alternating per repetition, auth off."],
    "Under a pull policy", "No policy", 0.90)


def readpath_section():
    """Issue #19 item 5: Dockyard's manifest GET by tag with token auth against nginx serving the same bytes."""
    d_med, d_text = summary("readpath_get_rps", "dockyard")
    n_med, n_text = summary("readpath_get_rps", "nginx")
    if d_med is None or n_med is None:
        return
    share = d_med / n_med if n_med else None
    out.append("## Read path against its ceiling (Dockyard with token auth vs nginx)")
    out.append("")
    out.append("Manifest GET by tag, wrk, 32 connections, one run (`bench/readpath-pass.sh`): nginx (2 workers, keep-alive, no")
    out.append("access log) serves the bytes Dockyard answered as a static file with the same Content-Type and")
    out.append("Docker-Content-Digest; Dockyard runs with token auth on (a bearer token from `/auth/token` for a user with read,")
    out.append("fresh every repetition), pull auditing and pull counts on. One process of each, warmed up, measured alternately.")
    out.append("Share = Dockyard / nginx (medians). CPU per request: the server's utime+stime over the run / requests (nginx:")
    out.append("master and workers). wrk shares the 2 cores with the server under test.")
    out.append("")
    out.append("| Benchmark | Unit | Dockyard (token auth) | nginx (static file) | Share | Target | Met |")
    out.append("|---|---|---|---|---|---|---|")
    met = "—" if share is None else ("yes" if share >= 0.5 else "**no**")
    out.append(f"| Manifest GET by tag | req/s | {d_text} | {n_text} | {fmt(share) + '×' if share is not None else '—'} | share ≥ 0.5× | {met} |")
    for metric, label in (("readpath_get_p50_ms", "  p50 latency"), ("readpath_get_p99_ms", "  p99 latency")):
        a, a_text = summary(metric, "dockyard")
        b, b_text = summary(metric, "nginx")
        out.append(f"| {label} | ms | {a_text} | {b_text} | {fmt(a / b) + '×' if a is not None and b else '—'} | — | — |")
    a, a_text = summary("readpath_get_cpu_us", "dockyard")
    b, b_text = summary("readpath_get_cpu_us", "nginx")
    out.append(f"|   server CPU per request | µs | {a_text} | {b_text} | {fmt(a / b) + '×' if a is not None and b else '—'} | — | — |")
    out.append(f"|   load average (1 min) at the runs | — | {summary('readpath_load1', 'dockyard')[1]} | {summary('readpath_load1', 'nginx')[1]} | — | — | — |")
    out.append("")


readpath_section()


def sig5_section():
    """The 5-signature verification table of a --trust run; returns the summary figures (or None)."""
    cold50, cold99 = summary("sig5_cold_p50_ms", "dockyard")[0], summary("sig5_cold_p99_ms", "dockyard")[0]
    cached50, cached99 = summary("sig5_cached_p50_ms", "dockyard")[0], summary("sig5_cached_p99_ms", "dockyard")[0]
    if cold50 is None or cached50 is None:
        return None
    cold_n, cached_n = summary("sig5_cold_n", "dockyard")[0], summary("sig5_cached_n", "dockyard")[0]
    out.append("## Verification of an image with 5 signatures, cold and cached")
    out.append("")
    out.append("`GET /api/v1/repositories/trust/signed5/manifests/{digest}/signatures` (administrator's access token, one")
    out.append("keep-alive connection, request sent → body read) of an image whose `sha256-<hex>.sig` manifest has 5")
    out.append("simple-signing layers, each by another ECDSA P-256 key, all 5 registered in `trust` (with the pull pass's key, 6")
    out.append("P-256 keys: a cosign signature names no key, so each is tried against the organization's P-256 keys). Every answer")
    out.append("is checked: `signed`, 5 valid signatures. **Cold**: the first GET after a key change: an Ed25519 key is")
    out.append("registered through the API 0.1 s before each cold GET, which moves the key ring's version, so the GET reloads the")
    out.append("keys, reads the `.sig` manifest, the 5 payloads and the referrers, and verifies again (Ed25519 keys are never")
    out.append("candidates for a P-256 signature, so later samples do not try more keys). **Cached**: GETs in a row, interleaved")
    out.append("with the cold ones and then the rest; the verdict comes from the cache. Unmeasured warm-up rounds of both first.")
    out.append("The split row: after the key change, an untimed GET of another image's signatures (`trust/open`, unsigned)")
    out.append("reloads the key ring first, so the timed GET pays reading and verifying the 5 signatures only. The ring grows")
    out.append("by one throwaway key per sample (10 + 2 × cold samples in all); a reload reads and parses every key.")
    out.append("p50/p99 by nearest rank (below 100 samples, p99 is the slowest one).")
    out.append("")
    out.append("| Verification | Samples | p50 | p99 |")
    out.append("|---|---|---|---|")
    out.append(f"| Cold (first GET after a key change) | {cold_n:.0f} | {fmt(cold50)} ms | {fmt(cold99)} ms |")
    primed50, primed99 = summary("sig5_primed_p50_ms", "dockyard")[0], summary("sig5_primed_p99_ms", "dockyard")[0]
    if primed50 is not None:
        out.append(f"|   cold verdict, key ring already reloaded (split) | {cold_n:.0f} | {fmt(primed50)} ms | {fmt(primed99)} ms |")
    out.append(f"| Cached | {cached_n:.0f} | {fmt(cached50)} ms | {fmt(cached99)} ms |")
    out.append(f"| Ratio cold / cached | — | {fmt(cold50 / cached50)}× | {fmt(cold99 / cached99)}× |")
    out.append("")
    return cold50, cold99, cached50, cached99


def pull_cpu_section():
    """Issue #19 item 2: blob GET throughput beside the server's CPU per pulled GB (utime+stime / bytes), both servers."""
    if summary("blob_get_1_cpu_s_per_gb", "dockyard")[0] is None:
        return
    out.append("## Pull efficiency: CPU per pulled GB")
    out.append("")
    out.append("Blob GET of the pull blob (the rows above); the server's utime+stime from `/proc/<pid>/stat` over each GET,")
    out.append("divided by the bytes pulled (1 stream: one blob; 16 streams: 16 at once). CPU per GB is the steadier figure on a")
    out.append("shared machine: MB/s moves with what else runs, the CPU a byte costs much less. On loopback the sender's CPU also")
    out.append("pays much of the kernel's receive path. Targets: MB/s ≥ 1.0× Distribution; CPU per GB half of Dockyard's before")
    out.append("issue #19 (then: 31.9 s of server CPU for the pull phase against Distribution's 14.6 s, 2.2×).")
    out.append("")
    out.append("| Streams | Dockyard MB/s | Dockyard CPU s/GB | Distribution MB/s | Distribution CPU s/GB | MB/s ratio | CPU/GB ratio | MB/s ≥ 1.0× |")
    out.append("|---|---|---|---|---|---|---|---|")
    for streams in (1, 16):
        a_mb, a_mb_text = summary(f"blob_get_{streams}_mbps", "dockyard")
        b_mb, b_mb_text = summary(f"blob_get_{streams}_mbps", "distribution")
        a_cpu, a_cpu_text = summary(f"blob_get_{streams}_cpu_s_per_gb", "dockyard")
        b_cpu, b_cpu_text = summary(f"blob_get_{streams}_cpu_s_per_gb", "distribution")
        mb_ratio = a_mb / b_mb if a_mb is not None and b_mb else None
        cpu_ratio = a_cpu / b_cpu if a_cpu is not None and b_cpu else None
        met = "—" if mb_ratio is None else ("yes" if mb_ratio >= 1.0 else "**no**")
        out.append(f"| {streams} | {a_mb_text} | {a_cpu_text} | {b_mb_text} | {b_cpu_text} | "
                   f"{fmt(mb_ratio) + '×' if mb_ratio is not None else '—'} | {fmt(cpu_ratio) + '×' if cpu_ratio is not None else '—'} | {met} |")
    out.append("")


if has_main:
    pull_cpu_section()
sig5 = sig5_section()
if trust_only:
    policy_med, none_med = summary("trust_get_rps", "policy")[0], summary("trust_get_rps", "none")[0]
    cpu_policy, cpu_none = summary("trust_get_cpu_us", "policy")[0], summary("trust_get_cpu_us", "none")[0]
    parts = []
    if policy_med is not None and none_med:
        ratio = policy_med / none_med
        cpu = f", server CPU per request {fmt(cpu_none / cpu_policy)}× (none/policy)" if cpu_policy and cpu_none else ""
        parts.append(f"Manifest GET under a pull policy {fmt(policy_med)} req/s vs {fmt(none_med)} without: "
                     f"{fmt(ratio)}× (target ≥ 0.9×: {'met' if ratio >= 0.9 else '**not met**'}){cpu}")
    if sig5 is not None:
        cold50, cold99, cached50, cached99 = sig5
        parts.append(f"{'image' if parts else 'Image'} with 5 signatures, verification cold p50 {fmt(cold50)} ms / p99 {fmt(cold99)} ms, "
                     f"cached p50 {fmt(cached50)} ms / p99 {fmt(cached99)} ms (cold/cached p50 {fmt(cold50 / cached50)}×)"
                     + (f"; cold with the key ring already reloaded p50 {fmt(primed50)} ms" if (primed50 := summary("sig5_primed_p50_ms", "dockyard")[0]) is not None else ""))
    if parts:
        out.append(TRUST_SUMMARY + "; ".join(parts) + ".")
        out.append("")
# A --writes run (bench/writes-pass.sh) measures the write rows only: no pointers to the other passes' files.
full_run = any(metric == "manifest_get_rps" for (metric, _server) in values)
# The control-plane passes (bench/control.sh) write their own file; the registry report only points at it.
if has_main and full_run and os.path.exists(os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "control.md")):
    out.extend(["## Control plane", "", "Measured separately by `bench/run.sh --control` (issue #16): see [control.md](control.md).", ""])
# The content-trust pass (bench/run.sh --trust) writes trust.md; a comparison report repeats its summary.
trust_md = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "trust.md")
if has_main and full_run and os.path.exists(trust_md):
    out.extend(trust_section(trust_md))
print("\n".join(out))
