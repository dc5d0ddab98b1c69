#!/usr/bin/env bats
# signedBy (GPG simple signing): signatures made by skopeo --sign-by with keys this file creates,
# read from registries.d lookaside storage, verified against the policy's keys; every bad case is
# refused with a reason, exit 125, nothing stored, no blob fetched.

load helpers

REG=$BATS_TEST_DIRNAME/../fixtures/registry.sh

setup_file() {
    local t
    for t in skopeo docker-registry gpg gpgconf jq; do
        command -v "$t" >/dev/null || skip "$t not installed"
    done
    export FX W=$BATS_FILE_TMPDIR/sig
    FX=$(fixtures_dir)
    mkdir -p "$W/gnupg" "$W/regd" "$W/sigs"
    chmod 700 "$W/gnupg"
    export PLAIN=$BATS_FILE_TMPDIR/plain
    "$REG" start --mode plain "$PLAIN" 2>/dev/null
    export H
    H=$( (eval "$("$REG" env "$PLAIN")" && echo "$FIXTURE_REGISTRY_HOST"))
    printf 'docker:\n  %s:\n    lookaside: file://%s\n    lookaside-staging: file://%s\n' "$H" "$W/sigs" "$W/sigs" \
        >"$W/regd/local.yaml"
    # the signing side: a throwaway keyring with two keys, one of them about to expire
    (
        export GNUPGHOME=$W/gnupg
        gpg --batch --passphrase '' --quick-gen-key "cpod good <good@example.com>" default default never
        gpg --batch --passphrase '' --quick-gen-key "cpod other <other@example.com>" default default never
        gpg --batch --passphrase '' --quick-gen-key "cpod expiring <expiring@example.com>" default default seconds=15
        gpg --armor --export good@example.com >"$W/good.gpg"
        gpg --armor --export other@example.com >"$W/other.gpg"
        gpg --armor --export expiring@example.com >"$W/expiring.gpg"
        sign() { skopeo copy -q --registries.d "$W/regd" --dest-tls-verify=false --sign-by "$1" \
            "oci:$FX/busybox/oci:latest" "docker://$H/$2"; }
        sign good@example.com signed:latest
        sign other@example.com by-other:latest
        sign good@example.com victim:latest
        sign expiring@example.com expiring:latest
        skopeo copy -q --dest-tls-verify=false "oci:$FX/busybox/oci:latest" "docker://$H/unsigned:latest"
        skopeo copy -q --dest-tls-verify=false "oci:$FX/variant/oci:latest" "docker://$H/variant:latest"
        # revoked: the key's own revocation certificate, applied to a copy of its public key
        fpr=$(gpg --with-colons --list-keys good@example.com | awk -F: '/^fpr/ {print $10; exit}')
        cp "$W/gnupg/openpgp-revocs.d/$fpr.rev" "$W/revoke.asc"
        sed -i 's/^:-----BEGIN/-----BEGIN/' "$W/revoke.asc"
        mkdir -p "$W/revoked-home" && chmod 700 "$W/revoked-home"
        GNUPGHOME=$W/revoked-home gpg --batch --import "$W/good.gpg" "$W/revoke.asc"
        GNUPGHOME=$W/revoked-home gpg --armor --export good@example.com >"$W/revoked.gpg"
        gpgconf --kill gpg-agent
        GNUPGHOME=$W/revoked-home gpgconf --kill gpg-agent
    ) >/dev/null 2>&1
    sleep 16 # the expiring key is now expired
}

teardown_file() {
    [ -n "${PLAIN:-}" ] && [ -d "$PLAIN" ] && "$REG" stop "$PLAIN"
}

setup() {
    cpod_setup
    use_test_registry "$H" "$W/regd"
}

policy() { # KEYFILE [extra requirement fields]: default reject, signedBy for the registry
    echo "{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"docker\": {\"$H\":
        [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"$1\"${2:+, $2}}]}}}" \
        >"$CPOD_TEST_DIR/policy.json"
}

spull() { # [STATUS] NAME
    local st=0
    if [[ $1 =~ ^[0-9]+$ ]]; then st=$1; shift; fi
    run_cpod "$st" pull -q --signature-policy "$CPOD_TEST_DIR/policy.json" "$H/$1"
}

refused() {
    run_cpod images -q
    assert_output ""
    run ls /tmp
    refute_output --partial cpod-gpg- # the throwaway keyrings are gone
}

@test "a signature by the policy's key is accepted; the image runs" {
    policy "$W/good.gpg"
    spull signed:latest
    assert_output --regexp '^[0-9a-f]{64}$'
    run_cpod run --rm "$H/signed:latest" echo verified
    assert_output verified
    # keyData: the same key, inline
    policy "$W/good.gpg" 
    sed -i "s|\"keyPath\": \"$W/good.gpg\"|\"keyData\": \"$(base64 -w0 "$W/good.gpg")\"|" "$CPOD_TEST_DIR/policy.json"
    run_cpod rmi -a
    spull signed:latest
}

@test "unsigned image, another key, a corrupted signature: refused, nothing stored, no blob fetched" {
    policy "$W/good.gpg"
    # a copy of a good signature with one byte flipped, under the digest of an image of its own
    d=$(skopeo inspect --tls-verify=false "docker://$H/unsigned:latest" | jq -r .Digest)
    src=$(ls -d "$W/sigs/signed@"*)
    mkdir -p "$W/sigs/corrupt@sha256=${d#sha256:}"
    skopeo copy -q --dest-tls-verify=false "oci:$FX/busybox/oci:latest" "docker://$H/corrupt:latest"
    python3 -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[len(b)//2]^=0xff; open(sys.argv[2],"wb").write(b)' \
        "$src/signature-1" "$W/sigs/corrupt@sha256=${d#sha256:}/signature-1"
    before=$(grep -c "GET /v2/.*/blobs/" "$PLAIN/registry.log" || true)
    spull 125 unsigned:latest
    assert_output "Error: Source image rejected: A signature was required, but no signature exists"
    spull 125 by-other:latest
    assert_output --partial "Source image rejected: None of the signatures were accepted: invalid GPG signature"
    spull 125 corrupt:latest
    assert_output --partial "None of the signatures were accepted"
    [ "$(grep -c "GET /v2/.*/blobs/" "$PLAIN/registry.log" || true)" = "$before" ]
    refused
}

@test "a signature for another manifest or another repository is refused; remapIdentity and exactRepository accept it" {
    policy "$W/good.gpg"
    # victim's signature (identity $H/victim:latest) placed under a differently named repository
    vd=$(ls -d "$W/sigs/victim@"*)
    mkdir -p "$W/sigs/impostor@${vd##*@}"
    cp "$vd/signature-1" "$W/sigs/impostor@${vd##*@}/"
    skopeo copy -q --dest-tls-verify=false "oci:$FX/busybox/oci:latest" "docker://$H/impostor:latest"
    spull 125 impostor:latest
    assert_output --partial "signature is for $H/victim:latest, not accepted for $H/impostor:latest"
    # the same signature file under the variant image's digest: the manifest digest does not match
    vdig=$(skopeo inspect --tls-verify=false "docker://$H/variant:latest" | jq -r .Digest)
    mkdir -p "$W/sigs/variant@sha256=${vdig#sha256:}"
    cp "$vd/signature-1" "$W/sigs/variant@sha256=${vdig#sha256:}/"
    spull 125 variant:latest
    assert_output --partial "signature is for manifest sha256:"
    # remapIdentity: impostor's signatures may name victim
    policy "$W/good.gpg" "\"signedIdentity\": {\"type\": \"remapIdentity\", \"prefix\": \"$H/impostor\", \"signedPrefix\": \"$H/victim\"}"
    spull impostor:latest
    # exactRepository
    run_cpod rmi -a
    policy "$W/good.gpg" "\"signedIdentity\": {\"type\": \"exactRepository\", \"dockerRepository\": \"$H/victim\"}"
    spull impostor:latest
}

@test "expired and revoked keys are refused; an unreachable lookaside is an error" {
    policy "$W/expiring.gpg"
    spull 125 expiring:latest
    assert_output --partial "invalid GPG signature"
    assert_output --partial "xpired"
    policy "$W/revoked.gpg"
    spull 125 signed:latest
    assert_output --partial "invalid GPG signature"
    assert_output --partial "evoked"
    mkdir -p "$CPOD_TEST_DIR/regd2"
    printf 'docker:\n  %s:\n    lookaside: http://127.0.0.1:1/sigs\n' "$H" >"$CPOD_TEST_DIR/regd2/x.yaml"
    rm "$HOME/.config/containers/registries.d"
    ln -s "$CPOD_TEST_DIR/regd2" "$HOME/.config/containers/registries.d"
    policy "$W/good.gpg"
    spull 125 signed:latest
    assert_output --partial "reading signature from http://127.0.0.1:1/sigs/signed@sha256="
    refused
}

@test "registries.d files that are not the YAML cpod reads are refused with file and line" {
    mkdir -p "$CPOD_TEST_DIR/regd3"
    printf 'docker:\n  - %s\n' "$H" >"$CPOD_TEST_DIR/regd3/bad.yaml"
    rm "$HOME/.config/containers/registries.d"
    ln -s "$CPOD_TEST_DIR/regd3" "$HOME/.config/containers/registries.d"
    policy "$W/good.gpg"
    spull 125 signed:latest
    assert_output --partial "registries.d/bad.yaml:2: sequences are not supported here"
}
