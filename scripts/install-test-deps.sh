#!/usr/bin/env bash
# Installs what the test suite needs on a Debian bookworm machine, and nothing else.
# Idempotent: when everything is present it changes nothing and runs no apt-get update.
#
#   docker.io       dockerd + containerd + runc + docker CLI: the end-to-end tests start a
#                   private dockerd of their own (own data-root, exec-root and socket)
#   skopeo          copies multi-platform OCI layouts to/from the registry
#   busybox-static  /bin/busybox, the single binary of the test image (no Docker Hub needed)
#   python3         parses the TRX results in scripts/trx-summary.sh
#   iproute2, procps: small runtime helpers dockerd expects
#   slapd, ldap-utils  the LDAP tests run a private OpenLDAP slapd (own config and databases in a temp
#                   directory, never the system service) and load it with ldapadd/ldapmodify/ldapdelete
#   nginx           the replica tests put a private nginx (own prefix, config, pid file, port; never the
#                   system service) in front of three Dockyard processes as a round-robin load balancer
#   nodejs, npm     the build bundles the web UI's terminal (src/Dockyard.Server/Ui/Frontend) with esbuild after
#                   `npm ci` from its package-lock.json (the Dockyard.Server.csproj target runs both)
#   chromium        Debian's headless Chromium, driven by Microsoft.Playwright in the web UI tests (no browser
#                   download: the tests launch /usr/bin/chromium themselves)
#   libldap-2.5-0   the OpenLDAP client library System.DirectoryServices.Protocols loads at run time
#                   (it tries libldap.so.2, then libldap-2.6.so.0, libldap-2.5.so.0, libldap-2.4.so.2)
#   postgresql      PostgreSQL 15 server binaries: the metadata tests run against a private cluster
#                   (initdb into a temp directory as the postgres user, pg_ctl on a free loopback port),
#                   never the system service
#   ceph-mon, ceph-osd, radosgw  the S3 storage tests run a private Ceph cluster (one monitor, one memstore
#                   OSD, radosgw on loopback, all in a temp directory; never the system services); they
#                   also need monmaptool (ceph-base), the ceph CLI and radosgw-admin (ceph-common).
#   notary          notary-server: the Docker Content Trust tests run a private one (memory storage, local signer,
#                   TLS from a test CA, Dockyard as its token issuer, loopback port) beside the test Dockyard
set -euo pipefail

if [[ "$(id -u)" -ne 0 ]]; then
  SUDO=sudo
else
  SUDO=
fi

# "command to check" -> "apt package that provides it"
declare -a checks=(
  "/usr/sbin/dockerd|docker.io"
  "/usr/bin/containerd|containerd"
  "/usr/sbin/runc|runc"
  "/usr/bin/skopeo|skopeo"
  "/bin/busybox|busybox-static"
  "python3|python3"
  "/usr/sbin/ip|iproute2"
  "ps|procps"
  "/usr/sbin/slapd|slapd"
  "/usr/bin/ldapadd|ldap-utils"
  "/usr/lib/postgresql/15/bin/initdb|postgresql"
  "/usr/lib/postgresql/15/bin/pg_ctl|postgresql"
  "runuser|util-linux"
  "/usr/bin/ceph-mon|ceph-mon"
  "/usr/bin/ceph-osd|ceph-osd"
  "/usr/bin/radosgw|radosgw"
  "/usr/bin/radosgw-admin|ceph-common"
  "/usr/bin/monmaptool|ceph-base"
  "/usr/bin/ceph|ceph-common"
  "/usr/sbin/nginx|nginx"
  "/usr/bin/chromium|chromium"
  "node|nodejs"
  "npm|npm"
  "/usr/bin/notary-server|notary"
)

missing=()
for check in "${checks[@]}"; do
  what="${check%%|*}"
  pkg="${check##*|}"
  if [[ "$what" == /* ]]; then
    [[ -x "$what" ]] && continue
  else
    command -v "$what" >/dev/null 2>&1 && continue
  fi
  missing+=("$pkg")
done

# /bin/busybox may come from the dynamic "busybox" package; the test image needs the static one.
if [[ -x /bin/busybox ]] && ldd /bin/busybox >/dev/null 2>&1; then
  missing+=("busybox-static")
fi

if ! /sbin/ldconfig -p 2>/dev/null | grep -Eq 'libldap(-2\.[456])?\.so\.[02] '; then
  missing+=("libldap-2.5-0")
fi

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-test-deps: all test dependencies present"
  exit 0
fi

# de-duplicate
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "install-test-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# The tests start private instances of these servers (nginx, postgresql, slapd, ceph, docker) themselves; a policy-rc.d
# keeps the packages' system services from starting (and listening) on install, unless the machine already has one.
policy=/usr/sbin/policy-rc.d
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  trap '$SUDO rm -f "$policy"' EXIT
fi
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-test-deps: done"
