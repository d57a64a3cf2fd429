#!/usr/bin/env python3
"""Times GET /api/v1/repositories/{repo}/manifests/{digest}/signatures of an image with several signatures, cold and
cached (bench/trust-pass.sh; standard library only).

Cold: the GET right after a key change. Registering a key moves the key ring's version, and a verdict is cached per
(repository, digest, key-ring version), so the next GET reloads the keys and verifies every signature again. The keys
registered for that are Ed25519 (files in KEY_DIR): a P-256 signature's shape (ASN.1 DER) never makes an Ed25519 key a
candidate, so the growing key list does not add verifications to later samples. Cached: GETs one after another.

Every answer is checked: state "signed" with EXPECTED valid signatures; anything else fails the run. One keep-alive
connection for everything; the timed span is request sent → whole body read.

Split of cold: COLD more samples where, after the key change, an untimed GET of another image's signatures (PRIME:
repository@digest) reloads the key ring first, so the timed GET pays the verification without the key reload.

  trust-signatures.py BASE TOKEN ORG REPO DIGEST EXPECTED KEY_DIR COLD CACHED WARM_COLD WARM_CACHED RAW_OUT PRIME
prints "cold_p50_ms cold_p99_ms cached_p50_ms cached_p99_ms primed_p50_ms primed_p99_ms" (nearest rank) and writes
every sample to RAW_OUT.
"""
import http.client
import json
import math
import os
import sys
import time
import urllib.parse

base, token, org, repo, digest, expected, key_dir, cold_n, cached_n, warm_cold, warm_cached, raw_out, prime = sys.argv[1:]
expected, cold_n, cached_n, warm_cold, warm_cached = int(expected), int(cold_n), int(cached_n), int(warm_cold), int(warm_cached)
url = urllib.parse.urlsplit(base)
connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
path = f"/api/v1/repositories/{repo}/manifests/{digest}/signatures"
keys = sorted(os.path.join(key_dir, name) for name in os.listdir(key_dir) if name.endswith(".pub"))
needed = warm_cold + 2 * cold_n
prime_repo, prime_digest = prime.split("@")
prime_path = f"/api/v1/repositories/{prime_repo}/manifests/{prime_digest}/signatures"
if len(keys) < needed:
    sys.exit(f"trust-signatures.py: {len(keys)} throwaway keys in {key_dir}, {needed} needed")


def request(method, target, body=None):
    send = dict(headers)
    if body is not None:
        send["Content-Type"] = "application/json"
    t0 = time.perf_counter()
    connection.request(method, target, body=body, headers=send)
    response = connection.getresponse()
    data = response.read()
    return response.status, data, (time.perf_counter() - t0) * 1000


def timed_get():
    status, data, ms = request("GET", path)
    if status != 200:
        sys.exit(f"trust-signatures.py: GET {path} answered {status}: {data[:300]!r}")
    answer = json.loads(data)
    valid = sum(1 for s in answer.get("signatures", []) if s.get("valid"))
    if answer.get("state") != "signed" or valid != expected:
        sys.exit(f"trust-signatures.py: expected state signed with {expected} valid signatures, got {answer.get('state')} with {valid}: {data[:600]!r}")
    return ms


def key_change(index):
    with open(keys[index]) as f:
        pem = f.read()
    body = json.dumps({"name": f"throwaway-{index}", "publicKey": pem})
    status, data, _ = request("POST", f"/api/v1/orgs/{org}/keys", body)
    if status != 201:
        sys.exit(f"trust-signatures.py: registering throwaway key {index} answered {status}: {data[:300]!r}")
    # The registration's own trailing work (audit entry) is not what this measures.
    time.sleep(0.1)


def nearest_rank(samples, p):
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


# Warm-up (unmeasured): the JIT compiles the verification and answer paths.
for i in range(warm_cold):
    key_change(i)
    timed_get()
for _ in range(warm_cached):
    timed_get()

cold, cached, primed = [], [], []
for i in range(warm_cold, warm_cold + cold_n):
    key_change(i)
    cold.append(timed_get())
    # A few cached GETs after each cold one, interleaved, so both see the same machine load; the rest below.
    for _ in range(cached_n // (2 * cold_n)):
        cached.append(timed_get())
while len(cached) < cached_n:
    cached.append(timed_get())
for i in range(warm_cold + cold_n, needed):
    key_change(i)
    status, data, _ = request("GET", prime_path)
    if status != 200:
        sys.exit(f"trust-signatures.py: GET {prime_path} answered {status}: {data[:300]!r}")
    primed.append(timed_get())

with open(raw_out, "w") as out:
    for kind, samples in (("cold", cold), ("cached", cached), ("cold-primed", primed)):
        for ms in samples:
            out.write(f"{kind}\t{ms:.3f}\n")
print(f"{nearest_rank(cold, 0.5):.3f} {nearest_rank(cold, 0.99):.3f} {nearest_rank(cached, 0.5):.3f} {nearest_rank(cached, 0.99):.3f} {nearest_rank(primed, 0.5):.3f} {nearest_rank(primed, 0.99):.3f}")
