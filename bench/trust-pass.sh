# Sourced by run.sh (bench/run.sh --trust). Content trust, Dockyard against itself on one server in one run:
# 1. Signature policy on pull: manifest GET by tag of trust/guarded (covered by a pull policy "any trusted key of
#    trust", signed by such a key: the check runs and passes) vs trust/open (no policy covers it), same image,
#    alternating order per repetition, each after a warm-up under the same load (32 connections).
#      → servers policy / none: trust_get_rps, trust_get_p99_ms, trust_get_cpu_us
# 2. Verification of an image with 5 signatures (trust/signed5: one sha256-<hex>.sig manifest, 5 layers, 5 P-256 keys
#    all registered in trust): GET /api/v1/repositories/trust/signed5/manifests/{digest}/signatures cold (right after
#    a key change, which moves the key ring's version and so drops the cached verdict) and cached (trust-signatures.py).
#    And cold with the key ring already reloaded (an untimed GET of trust/open's signatures first): verification alone.
#      → server dockyard: sig5_cold_p50_ms, sig5_cold_p99_ms, sig5_cached_p50_ms, sig5_cached_p99_ms, sig5_*_n,
#        sig5_primed_p50_ms, sig5_primed_p99_ms
# Set-up through the API only (an administrator's access token): organization, policy, keys (POST /orgs/trust/keys);
# the key pairs come from openssl, and each signature is a cosign simple-signing layer (ECDSA P-256, SHA-256, DER)
# under sha256-<hex>.sig, as cosign writes it. The server runs with auth off: the /v2 runs are anonymous (a policy
# without pullPrincipalKinds checks every caller); /api/v1 still authenticates its callers. The pass checks that the
# policy bites first: the unsigned manifest of trust/guarded answers 403.

# Key pair for a cosign signature: key.pem (private) and key.pub (PEM SPKI, what is registered).
trust_keypair() { # prefix algorithm(p256|ed25519)
  if [[ $2 == p256 ]]; then
    openssl ecparam -name prime256v1 -genkey -noout -out "$1.pem" 2>/dev/null
    openssl ec -in "$1.pem" -pubout -out "$1.pub" 2>/dev/null
  else
    openssl genpkey -algorithm ed25519 -out "$1.pem" 2>/dev/null
    openssl pkey -in "$1.pem" -pubout -out "$1.pub" 2>/dev/null
  fi
}

trust_register_key() { # api token org name pub-file
  local code
  code="$(jq -n --arg name "$4" --rawfile pem "$5" '{name:$name, publicKey:$pem}' \
    | curl -s -o "$work/trust/register.json" -w '%{http_code}' -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -d @- "$1/orgs/$3/keys")"
  [[ "$code" == 201 ]] || { echo "run.sh: registering key $4 in $3 answered $code: $(cat "$work/trust/register.json")" >&2; return 1; }
}

trust_upload_blob() { # base repo file → digest
  local digest
  digest="sha256:$(sha256sum "$3" | cut -d' ' -f1)"
  curl -sf -X POST -H 'Content-Type: application/octet-stream' --data-binary @"$3" "$1/v2/$2/blobs/uploads/?digest=$digest" >/dev/null
  echo "$digest"
}

# Pushes the sha256-<hex>.sig manifest of repo@digest with one simple-signing layer per private key given.
trust_sign() { # base port repo digest key.pem...
  local base="$1" port="$2" repo="$3" digest="$4" key payload n=0 layers="" config_digest payload_digest sig
  shift 4
  printf '{}' >"$work/trust/config.json"
  config_digest="$(trust_upload_blob "$base" "$repo" "$work/trust/config.json")"
  for key in "$@"; do
    n=$((n + 1))
    # One payload per signer (its own "optional" part), as separate signing runs write them.
    payload="$work/trust/payload-${repo//\//-}-$n.json"
    printf '{"critical":{"identity":{"docker-reference":"127.0.0.1:%s/%s"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":{"signer":"bench-%s"}}' \
      "$port" "$repo" "$digest" "$n" >"$payload"
    sig="$(openssl dgst -sha256 -sign "$key" "$payload" | base64 -w0)"
    payload_digest="$(trust_upload_blob "$base" "$repo" "$payload")"
    layers+="${layers:+,}$(printf '{"mediaType":"application/vnd.dev.cosign.simplesigning.v1+json","digest":"%s","size":%s,"annotations":{"dev.cosignproject.cosign/signature":"%s"}}' \
      "$payload_digest" "$(stat -c %s "$payload")" "$sig")"
  done
  curl -sf -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
    --data-binary "$(printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":2},"layers":[%s]}' "$config_digest" "$layers")" \
    "$base/v2/$repo/manifests/${digest/:/-}.sig" >/dev/null
}

# From the API's tag list: a pull policy already refuses the unsigned manifest on /v2, HEAD included.
trust_digest() { # api token repo → the digest of :latest
  curl -sf -H "Authorization: Bearer $2" "$1/repositories/$3/tags?filter=latest" | jq -r '.items[] | select(.name == "latest") | .digest'
}

trust_pass() { # repetitions seconds
  local port data api base token digest digest5 order which url res rps p50 p99 cpu s i cold50 cold99 cached50 cached99 primed50 primed99 keys5=()
  port="$(free_port)"; data="$work/dockyard-trust"; api="http://127.0.0.1:$port/api/v1"; base="http://127.0.0.1:$port"
  command -v openssl >/dev/null || { echo "run.sh: the trust pass needs openssl (apt-get install openssl)" >&2; return 1; }
  mkdir -p "$work/trust/throwaway"
  self_start "$port" "$data" Dockyard__Auth__Enabled=false
  # One password sign-in for an access token; every later call carries the token (no password hash per call).
  token="$(curl -sf -u "admin:$bench_admin_password" -H 'Content-Type: application/json' -d '{"name":"bench"}' "$api/me/tokens" | jq -r .secret)"
  [[ -n "$token" && "$token" != null ]] || { echo "run.sh: no access token for admin" >&2; return 1; }
  curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"name":"trust"}' "$api/orgs" >/dev/null
  curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"repositoryPattern":"trust/guarded","mode":"any","enforcePull":true}' "$api/orgs/trust/trust-policies" >/dev/null
  trust_keypair "$work/trust/key" p256
  trust_register_key "$api" "$token" trust bench "$work/trust/key.pub"

  "$tool" seed "$base" trust/guarded 0 >/dev/null
  "$tool" seed "$base" trust/open 0 >/dev/null
  digest="$(trust_digest "$api" "$token" trust/guarded)"
  [[ -n "$digest" ]] || { echo "run.sh: no digest for trust/guarded:latest" >&2; return 1; }
  # The policy bites: latest is not signed yet.
  [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Accept: $accept_manifests" "$base/v2/trust/guarded/manifests/latest")" == 403 ]] \
    || { echo "run.sh: trust/guarded:latest is pullable before it is signed: the policy did not apply" >&2; return 1; }
  trust_sign "$base" "$port" trust/guarded "$digest" "$work/trust/key.pem"
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

  # ---- an image with 5 signatures, by 5 registered keys
  log "5 signatures: verification cold ($sig_cold samples) and cached ($sig_cached) (load $(cut -d' ' -f1 /proc/loadavg))"
  "$tool" seed "$base" trust/signed5 0 >/dev/null
  digest5="$(trust_digest "$api" "$token" trust/signed5)"
  [[ -n "$digest5" ]] || { echo "run.sh: no digest for trust/signed5:latest" >&2; return 1; }
  for i in 1 2 3 4 5; do
    trust_keypair "$work/trust/signer$i" p256
    trust_register_key "$api" "$token" trust "signer$i" "$work/trust/signer$i.pub"
    keys5+=("$work/trust/signer$i.pem")
  done
  trust_sign "$base" "$port" trust/signed5 "$digest5" "${keys5[@]}"
  for i in $(seq 1 $((2 * sig_cold + sig_warm_cold))); do trust_keypair "$work/trust/throwaway/$(printf %03d "$i")" ed25519; done
  res="$(python3 "$bench/trust-signatures.py" "$base" "$token" trust trust/signed5 "$digest5" 5 "$work/trust/throwaway" \
    "$sig_cold" "$sig_cached" "$sig_warm_cold" "$sig_warm_cached" "$bench/results/raw/trust-signatures.tsv" \
    "trust/open@$(trust_digest "$api" "$token" trust/open)")"
  read -r cold50 cold99 cached50 cached99 primed50 primed99 <<<"$res"
  record sig5_cold_p50_ms dockyard 1 "$cold50"; record sig5_cold_p99_ms dockyard 1 "$cold99"; record sig5_cold_n dockyard 1 "$sig_cold"
  record sig5_primed_p50_ms dockyard 1 "$primed50"; record sig5_primed_p99_ms dockyard 1 "$primed99"
  record sig5_cached_p50_ms dockyard 1 "$cached50"; record sig5_cached_p99_ms dockyard 1 "$cached99"; record sig5_cached_n dockyard 1 "$sig_cached"
  self_stop
}
