# Sourced by run.sh (bench/run.sh --trust). Signature policies on the pull path, Dockyard against itself in one run on
# one server: manifest GET by tag of trust/guarded (covered by a pull policy "any trusted key of trust", signed by such
# a key: the check runs and passes) vs trust/open (no policy covers it), same image, alternating order per repetition,
# each after a warm-up under the same load (32 connections).
#   trust_pass → servers policy / none: trust_get_rps, trust_get_p99_ms, trust_get_cpu_us
# Set-up: organization and policy through the API (auth on); the organization's key is written to the database
# directly (openssl makes the P-256 pair; this tree has no key API endpoint to call); the signature is a cosign
# simple-signing manifest under sha256-<hex>.sig made with openssl (ECDSA P-256, SHA-256, DER), as cosign writes it.
# The runs are anonymous with auth off (a policy without pullPrincipalKinds checks every caller). The pass checks that
# the policy bites first: an unsigned manifest of trust/guarded answers 403.

trust_pass() { # repetitions seconds
  local port data api base key digest payload sig config_digest payload_digest manifest order which url res rps p50 p99 cpu
  port="$(free_port)"; data="$work/dockyard-trust"; api="http://127.0.0.1:$port/api/v1"; base="http://127.0.0.1:$port"
  command -v openssl >/dev/null && command -v sqlite3 >/dev/null || { echo "run.sh: the trust pass needs openssl and sqlite3 (apt-get install openssl sqlite3)" >&2; return 1; }
  mkdir -p "$work/trust"
  self_start "$port" "$data" Dockyard__Auth__Enabled=true
  curl -sf -u "admin:$bench_admin_password" -H 'Content-Type: application/json' -d '{"name":"trust"}' "$api/orgs" >/dev/null
  curl -sf -u "admin:$bench_admin_password" -H 'Content-Type: application/json' \
    -d '{"repositoryPattern":"trust/guarded","mode":"any","enforcePull":true}' "$api/orgs/trust/trust-policies" >/dev/null
  self_stop
  key="$work/trust/key.pem"
  openssl ecparam -name prime256v1 -genkey -noout -out "$key" 2>/dev/null
  openssl ec -in "$key" -pubout -out "$work/trust/pub.pem" 2>/dev/null
  local fingerprint ticks
  fingerprint="sha256:$(openssl ec -in "$key" -pubout -outform DER 2>/dev/null | sha256sum | cut -d' ' -f1)"
  ticks="$(python3 -c 'import time; print(int(time.time() * 10**7) + 621355968000000000)')"
  sqlite3 "$data/dockyard.db" "INSERT INTO trust_keys (organization_id, name, algorithm, fingerprint, public_key_pem, created_by, created_at)
    SELECT id, 'bench', 'ecdsa-p256', '$fingerprint', '$(cat "$work/trust/pub.pem")', 'bench', $ticks FROM organizations WHERE name = 'trust';"

  self_start "$port" "$data" Dockyard__Auth__Enabled=false
  "$tool" seed "$base" trust/guarded 0 >/dev/null
  "$tool" seed "$base" trust/open 0 >/dev/null
  digest="$(curl -sfI -H "Accept: $accept_manifests" "$base/v2/trust/guarded/manifests/latest" | tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" { print $2 }')"
  [[ -n "$digest" ]] || { echo "run.sh: no digest for trust/guarded:latest" >&2; return 1; }
  # The policy bites: latest is not signed yet.
  [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Accept: $accept_manifests" "$base/v2/trust/guarded/manifests/latest")" == 403 ]] \
    || { echo "run.sh: trust/guarded:latest is pullable before it is signed: the policy did not apply" >&2; return 1; }
  payload="$work/trust/payload.json"
  printf '{"critical":{"identity":{"docker-reference":"127.0.0.1:%s/trust/guarded"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":null}' "$port" "$digest" >"$payload"
  sig="$(openssl dgst -sha256 -sign "$key" "$payload" | base64 -w0)"
  printf '{}' >"$work/trust/config.json"
  config_digest="sha256:$(sha256sum "$work/trust/config.json" | cut -d' ' -f1)"
  payload_digest="sha256:$(sha256sum "$payload" | cut -d' ' -f1)"
  curl -sf -X POST -H 'Content-Type: application/octet-stream' --data-binary @"$work/trust/config.json" "$base/v2/trust/guarded/blobs/uploads/?digest=$config_digest" >/dev/null
  curl -sf -X POST -H 'Content-Type: application/octet-stream' --data-binary @"$payload" "$base/v2/trust/guarded/blobs/uploads/?digest=$payload_digest" >/dev/null
  manifest="$(printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":2},"layers":[{"mediaType":"application/vnd.dev.cosign.simplesigning.v1+json","digest":"%s","size":%s,"annotations":{"dev.cosignproject.cosign/signature":"%s"}}]}' \
    "$config_digest" "$payload_digest" "$(stat -c %s "$payload")" "$sig")"
  curl -sf -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "$manifest" "$base/v2/trust/guarded/manifests/${digest/:/-}.sig" >/dev/null
  # The push's registry event drops the cached "unsigned" verdict; wait until the signed image pulls.
  local deadline=$((SECONDS + 30))
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Accept: $accept_manifests" "$base/v2/trust/guarded/manifests/latest")" == 200 ]]; do
    (( SECONDS < deadline )) || { echo "run.sh: signed trust/guarded:latest still refused" >&2; return 1; }
    sleep 0.2
  done
  printf 'wrk.method = "GET"\nwrk.headers["Accept"] = "%s"\n' "$accept_manifests" >"$work/trust-get.lua"
  for which in guarded open; do self_wrk 32 "$work/trust-get.lua" "$base/v2/trust/$which/manifests/latest" "$warm" >/dev/null; done
  for rep in $(seq 1 "$1"); do
    if (( rep % 2 )); then order="guarded open"; else order="open guarded"; fi
    for which in $order; do
      log "repetition $rep/$1: manifest GET of trust/$which (load $(cut -d' ' -f1 /proc/loadavg))"
      url="$base/v2/trust/$which/manifests/latest"
      self_wrk 32 "$work/trust-get.lua" "$url" 2 >/dev/null
      res="$(self_wrk 32 "$work/trust-get.lua" "$url" "$2" "$self_pid")"
      read -r rps p50 p99 cpu <<<"$res"
      [[ $which == guarded ]] && s=policy || s=none
      record trust_get_rps "$s" "$rep" "$rps"; record trust_get_p99_ms "$s" "$rep" "$p99"; record trust_get_cpu_us "$s" "$rep" "$cpu"
    done
  done
  self_stop
}
