# Sourced by run.sh and control.sh: publishes Dockyard as it ships (or takes BENCH_DOCKYARD_DLL) and builds the
# load tool (not with --no-tool). Sets `dockyard` (the command that runs the server, an array) and `tool` (dockyard-bench).
# Needs `repo`, `bench` and `log` from the caller.
bench_publish() {
  log "publishing Dockyard (Release, self-contained, composite ReadyToRun) and building the load tool"
  if [[ -n "${BENCH_DOCKYARD_DLL:-}" ]]; then
    dockyard_dll="$BENCH_DOCKYARD_DLL"
  else
    # What ships (docs/operations.md): a self-contained publish whose framework and app code are compiled ahead of
    # time into one composite image; it starts in about two thirds of the time of a framework-dependent publish.
    # Its own build directories: the SDK's incremental build mixes up composite and per-assembly ReadyToRun output
    # when both are published from one obj/ (the result crashes at start).
    dotnet publish -c Release -r linux-x64 --self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true \
      --artifacts-path "$bench/.dockyard-build" -o "$bench/.dockyard" "$repo/src/Dockyard.Server" -nologo -v q >&2
    dockyard_dll="$bench/.dockyard/dockyard.dll"
  fi
  # A self-contained publish runs as its own executable; a framework-dependent one (BENCH_DOCKYARD_DLL) under dotnet.
  if [[ -f "$(dirname "$dockyard_dll")/libcoreclr.so" ]]; then
    dockyard=("$(dirname "$dockyard_dll")/dockyard")
  else
    dockyard=(dotnet "$dockyard_dll")
  fi
  [[ "${1:-}" != --no-tool ]] || return 0
  dotnet build -c Release "$bench/Dockyard.Bench" -nologo -v q >&2
  tool="$bench/Dockyard.Bench/bin/Release/net10.0/dockyard-bench"
}
