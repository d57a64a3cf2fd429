#!/usr/bin/env bash
# Installs Dockyard on this Debian/Ubuntu machine as a systemd service, in one command (run as root):
#   scripts/install.sh [dockyard install options]      e.g. --urls https://0.0.0.0:443 --tls-self-signed registry.example.com
# Publishes the self-contained build (docs/operations.md#running) to $DOCKYARD_PREFIX (default /opt/dockyard), then
# runs that binary's `dockyard install "$@"` (system user, /etc/dockyard, /var/lib/dockyard, TLS, hardened unit).
# Running it again upgrades the binary in place and rewrites the unit; the settings and the data are kept.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="${DOCKYARD_PREFIX:-/opt/dockyard}"

if [[ $EUID -ne 0 ]]; then
  echo "install.sh: run it as root (it installs to $prefix and creates a system user)" >&2
  exit 2
fi

if ! command -v dotnet >/dev/null; then
  echo "install.sh: the .NET SDK is needed to build Dockyard (see global.json); the installed service does not need it" >&2
  exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Built apart from the development obj/ directories (a composite ReadyToRun build must not reuse their files).
artifacts="$(mktemp -d)"
trap 'rm -rf "$artifacts"' EXIT
staging="$artifacts/publish"
dotnet publish "$repo/src/Dockyard.Server" -c Release -r linux-x64 --self-contained true \
  -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true \
  --artifacts-path "$artifacts/build" -o "$staging"

# Replace the installed files in one step per file; a running service keeps its open files until restarted.
install -d -m 0755 "$prefix"
cp -a "$staging/." "$prefix/"
chown -R root:root "$prefix"
chmod -R go-w "$prefix"

"$prefix/dockyard" install --binary "$prefix/dockyard" "$@"
if systemctl is-active --quiet dockyard; then
  echo "Dockyard is running the previous version: systemctl restart dockyard"
fi
