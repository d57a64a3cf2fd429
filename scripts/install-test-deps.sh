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
#   chromium        Debian's headless Chromium, driven by Microsoft.Playwright in the web UI tests (no browser
#                   download: the tests launch /usr/bin/chromium themselves)
#   libldap-2.5-0   the OpenLDAP client library System.DirectoryServices.Protocols loads at run time
#                   (it tries libldap.so.2, then libldap-2.6.so.0, libldap-2.5.so.0, libldap-2.4.so.2)
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
  "/usr/bin/chromium|chromium"
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
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-test-deps: done"
