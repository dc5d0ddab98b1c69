#!/usr/bin/env bats
# sigstoreSigned: signatures attached in the registry (sha256-<digest>.sig), as cosign lays them
# out, made by this test with OpenSSL (Debian's skopeo and podman have sigstore disabled) and
# pushed with curl; verified against the policy's public key (ECDSA P-256, RSA, Ed25519).  Every
# bad case is refused with a reason, exit 125, nothing stored, no blob of the image fetched.

load helpers

REG=$BATS_TEST_DIRNAME/../fixtures/registry.sh
ATTACH=$BATS_TEST_DIRNAME/../fixtures/sigstore-attach.py

setup_file() {
    local t
    for t in skopeo docker-registry openssl curl jq; do
        command -v "$t" >/dev/null || skip "$t not installed"
    done
    export FX W=$BATS_FILE_TMPDIR/sigstore H
    FX=$(fixtures_dir)
    mkdir -p "$W/regd"
    export PLAIN=$BATS_FILE_TMPDIR/plain
    "$REG" start --mode plain "$PLAIN" 2>/dev/null
    H=$( (eval "$("$REG" env "$PLAIN")" && echo "$FIXTURE_REGISTRY_HOST"))
    printf 'docker:\n  %s:\n    use-sigstore-attachments: true\n  %s/noattach:\n    use-sigstore-attachments: false\n' \
        "$H" "$H" >"$W/regd/local.yaml"
    openssl ecparam -genkey -name prime256v1 -noout -out "$W/ec.pem"
    openssl ec -in "$W/ec.pem" -pubout -out "$W/ec.pub" 2>/dev/null
    openssl ecparam -genkey -name prime256v1 -noout -out "$W/other.pem"
    openssl genrsa -out "$W/rsa.pem" 2048 2>/dev/null
    openssl rsa -in "$W/rsa.pem" -pubout -out "$W/rsa.pub" 2>/dev/null
    openssl genpkey -algorithm ed25519 -out "$W/ed.pem"
    openssl pkey -in "$W/ed.pem" -pubout -out "$W/ed.pub"
    push() { skopeo copy -q --dest-tls-verify=false "oci:$FX/$1/oci:latest" "docker://$H/$2"; }
    digest() { skopeo inspect --tls-verify=false "docker://$H/$1" | jq -r .Digest; }
    push busybox signed:latest
    push busybox unsigned:latest
    push busybox by-other:latest
    push busybox corrupt:latest
    push busybox victim:latest
    push busybox impostor:latest
    push variant moved:latest
    push busybox noattach:latest
    push busybox rsa:latest
    push busybox ed:latest
    "$ATTACH" "$H" signed "$(digest signed:latest)" "$H/signed:latest" "$W/ec.pem"
    "$ATTACH" "$H" by-other "$(digest by-other:latest)" "$H/by-other:latest" "$W/other.pem"
    "$ATTACH" "$H" corrupt "$(digest corrupt:latest)" "$H/corrupt:latest" "$W/ec.pem" --corrupt
    # victim's good signature, copied under impostor's digest: its identity names victim
    "$ATTACH" "$H" impostor "$(digest impostor:latest)" "$H/victim:latest" "$W/ec.pem"
    # signed's attachment (a good signature for signed's manifest) placed under moved's digest
    python3 - "$H" "$(digest moved:latest)" "$(digest signed:latest)" <<'PY'
import json, subprocess, sys
host, moved, signed = sys.argv[1:4]
# the payload claims signed's digest; the blobs are mounted from signed, the manifest copied as it is
m = subprocess.run(["curl", "-sSf", "-H", "Accept: application/vnd.oci.image.manifest.v1+json",
                    f"http://{host}/v2/signed/manifests/sha256-{signed[7:]}.sig"], check=True, capture_output=True).stdout
for layer in json.loads(m)["layers"] + [json.loads(m)["config"]]:
    subprocess.run(["curl", "-sSf", "-X", "POST", "-o", "/dev/null",
                    f"http://{host}/v2/moved/blobs/uploads/?mount={layer['digest']}&from=signed"], check=True)
subprocess.run(["curl", "-sSf", "-X", "PUT", "-H", "Content-Type: application/vnd.oci.image.manifest.v1+json",
                "--data-binary", "@-", f"http://{host}/v2/moved/manifests/sha256-{moved[7:]}.sig"], input=m, check=True)
PY
    "$ATTACH" "$H" noattach "$(digest noattach:latest)" "$H/noattach:latest" "$W/ec.pem"
    "$ATTACH" "$H" rsa "$(digest rsa:latest)" "$H/rsa:latest" "$W/rsa.pem"
    "$ATTACH" "$H" ed "$(digest ed:latest)" "$H/ed:latest" "$W/ed.pem" --ed25519
}

teardown_file() {
    [ -n "${PLAIN:-}" ] && [ -d "$PLAIN" ] && "$REG" stop "$PLAIN"
}

setup() {
    cpod_setup
    use_test_registry "$H" "$W/regd"
}

policy() { # KEY-FIELDS: default reject, sigstoreSigned for the registry
    echo "{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"docker\": {\"$H\":
        [{\"type\": \"sigstoreSigned\", $1}]}}}" >"$CPOD_TEST_DIR/policy.json"
}

spull() { # [STATUS] NAME
    local st=0
    if [[ $1 =~ ^[0-9]+$ ]]; then st=$1; shift; fi
    run_cpod "$st" pull -q --signature-policy "$CPOD_TEST_DIR/policy.json" "$H/$1"
}

@test "sigstore: a signature by the policy's key is accepted (keyPath, keyData, keyPaths; ECDSA, RSA, Ed25519)" {
    policy "\"keyPath\": \"$W/ec.pub\""
    run_cpod pull --signature-policy "$CPOD_TEST_DIR/policy.json" "$H/signed:latest"
    assert_line --index 1 "Getting image source signatures"
    assert_line --index 2 "Checking if image destination supports signatures"
    assert_line --index 3 --partial "Copying blob sha256:"
    run_cpod rmi -a
    spull signed:latest
    assert_output --regexp '^[0-9a-f]{64}$'
    run_cpod run --rm --network none "$H/signed:latest" echo verified
    assert_output verified
    run_cpod rmi -a
    policy "\"keyData\": \"$(base64 -w0 "$W/ec.pub")\""
    spull signed:latest
    run_cpod rmi -a
    policy "\"keyPaths\": [\"$W/rsa.pub\", \"$W/ec.pub\"]"
    spull signed:latest
    spull rsa:latest
    policy "\"keyPath\": \"$W/ed.pub\""
    spull ed:latest
}

@test "sigstore: unsigned, another key, a corrupted signature, another manifest, another repository: refused" {
    policy "\"keyPath\": \"$W/ec.pub\""
    configs=$(for r in unsigned by-other corrupt moved impostor noattach; do
        skopeo inspect --tls-verify=false --raw "docker://$H/$r:latest" | jq -r .config.digest; done | sort -u)
    blob_gets() { for c in $configs; do grep -c "GET /v2/[a-z-]*/blobs/$c" "$PLAIN/registry.log" || true; done; }
    before=$(blob_gets)
    spull 125 unsigned:latest
    assert_output --regexp "^Error: Source image rejected: A signature was required, but no signature exists \(no $H/unsigned:sha256-[0-9a-f]{64}\.sig\)\$"
    spull 125 by-other:latest
    assert_output "Error: Source image rejected: None of the signatures were accepted: the signature was not made by the policy's key"
    spull 125 corrupt:latest
    assert_output "Error: Source image rejected: None of the signatures were accepted: the signature was not made by the policy's key"
    spull 125 moved:latest
    assert_output --partial "None of the signatures were accepted: signature is for manifest sha256:"
    spull 125 impostor:latest
    assert_output --partial "signature is for $H/victim:latest, not accepted for $H/impostor:latest"
    spull 125 noattach:latest
    assert_output --partial "registries.d does not set use-sigstore-attachments for $H/noattach"
    # the only blobs fetched were signature payloads: no image config (and so no layer)
    [ "$(blob_gets)" = "$before" ]
    run_cpod images -q
    assert_output ""
    # a keyless requirement is refused, never skipped
    policy "\"fulcio\": {\"caPath\": \"/x\"}, \"keyPath\": \"$W/ec.pub\""
    spull 125 signed:latest
    assert_output --partial "keyless) verification is not supported by cpod"
}

@test "sigstore: image trust set writes a sigstoreSigned scope that pulls then enforce" {
    echo '{"default": [{"type": "reject"}]}' >"$CPOD_TEST_DIR/policy.json"
    run_cpod image trust set --policypath "$CPOD_TEST_DIR/policy.json" -t sigstoreSigned -f "$W/ec.pub" "$H"
    run_cpod image trust show --policypath "$CPOD_TEST_DIR/policy.json"
    assert_line --regexp "^repository +$H +sigstoreSigned +N/A"
    spull signed:latest
    spull 125 by-other:latest
}
