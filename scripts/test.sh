#!/usr/bin/env bash
# THE test command: installs the test dependencies, builds and runs every test project
# in Release, and ends with one line "tests: N passed, M failed" computed from the TRX files.
# Exit status is non-zero on any failure (including "no tests ran").
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

results="${TEST_RESULTS_DIR:-$repo/TestResults}"
rm -rf "$results"
mkdir -p "$results"

if ! bash "$repo/scripts/install-test-deps.sh"; then
  echo "test.sh: installing test dependencies failed" >&2
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# --blame-hang kills a wedged test host (and dumps nothing) instead of hanging CI forever.
dotnet test Dockyard.slnx -c Release \
  --logger "trx" \
  --logger "console;verbosity=normal" \
  --results-directory "$results" \
  --blame-hang-timeout 10m --blame-hang-dump-type none
dotnet_rc=$?

bash "$repo/scripts/trx-summary.sh" "$results"
summary_rc=$?

if [[ $dotnet_rc -ne 0 || $summary_rc -ne 0 ]]; then
  exit 1
fi
exit 0
