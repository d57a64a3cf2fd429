#!/usr/bin/env bash
# Usage: scripts/trx-summary.sh RESULTS_DIR
# Sums the <Counters> of every *.trx under RESULTS_DIR and prints one line:
#   tests: N passed, M failed
# where "failed" also counts error, timeout and aborted outcomes (skipped tests, TRX
# "notExecuted", are reported on stderr but are neither passed nor failed).
# Before that line it names each failed test with the first line of its message (at most 20), so a CI log that keeps
# only its tail still says which tests failed.
# Exit status: 0 only if at least one test ran and none failed; 1 otherwise
# (also when no TRX file was found).
set -uo pipefail
dir="${1:?usage: trx-summary.sh RESULTS_DIR}"
exec python3 - "$dir" <<'PY'
import pathlib, sys
import xml.etree.ElementTree as ET

root = pathlib.Path(sys.argv[1])
files = sorted(root.rglob("*.trx")) if root.is_dir() else []
passed = failed = executed = skipped = 0
problems = []
failures = []
for f in files:
    try:
        tree = ET.parse(f)
    except ET.ParseError as e:
        problems.append(f"{f}: unreadable TRX ({e})")
        failed += 1
        continue
    counters = [el for el in tree.iter() if el.tag.split("}")[-1] == "Counters"]
    if not counters:
        problems.append(f"{f}: no <Counters> element")
        failed += 1
        continue
    for result in (el for el in tree.iter() if el.tag.split("}")[-1] == "UnitTestResult"):
        if result.get("outcome") in ("Failed", "Error", "Timeout", "Aborted"):
            message = next((el.text or "" for el in result.iter() if el.tag.split("}")[-1] == "Message"), "")
            first = message.strip().splitlines()[0][:300] if message.strip() else "(no message)"
            failures.append(f"{result.get('testName')}: {first}")
    c = counters[0].attrib
    n = lambda k: int(c.get(k, "0") or 0)
    passed += n("passed")
    executed += n("executed")
    failed += n("failed") + n("error") + n("timeout") + n("aborted")
    skipped += n("notExecuted")

if not files:
    problems.append(f"no TRX file under {root}: the test run produced no results")
elif passed + failed == 0:
    problems.append("zero tests ran")

if skipped:
    print(f"trx-summary: {skipped} test(s) skipped", file=sys.stderr)
for p in problems:
    print(f"trx-summary: {p}", file=sys.stderr)
for name in failures[:20]:
    print(f"failed: {name}")
if len(failures) > 20:
    print(f"failed: … and {len(failures) - 20} more")
# a run with problems but no counted failure still has to read as failed
if problems and failed == 0:
    failed = 1
print(f"tests: {passed} passed, {failed} failed")
sys.exit(0 if failed == 0 and passed > 0 else 1)
PY
