#!/usr/bin/env bats
# containers-policy.json(5) enforced on pull, run and load: reject and accept scopes with podman's
# longest-match rules, fail-closed signature requirements, broken policies, nothing stored and no
# blob fetched for a rejected image.

load helpers

REG=$BATS_TEST_DIRNAME/../fixtures/registry.sh

setup_file() {
    local t
    for t in skopeo docker-registry jq; do
        command -v "$t" >/dev/null || skip "$t not installed"
    done
    export FX
    FX=$(fixtures_dir)
    export PLAIN=$BATS_FILE_TMPDIR/plain
    "$REG" start --mode plain "$PLAIN" 2>/dev/null
    export PLAIN_HOST
    PLAIN_HOST=$( (eval "$("$REG" env "$PLAIN")" && echo "$FIXTURE_REGISTRY_HOST"))
    "$REG" push "$PLAIN" "oci:$FX/busybox/oci:latest" busybox:latest >/dev/null 2>&1
    "$REG" push "$PLAIN" "oci:$FX/busybox/oci:latest" team/app:1 >/dev/null 2>&1
    "$REG" push "$PLAIN" "oci:$FX/busybox/oci:latest" team/app:2 >/dev/null 2>&1
}

teardown_file() {
    [ -n "${PLAIN:-}" ] && [ -d "$PLAIN" ] && "$REG" stop "$PLAIN"
}

setup() {
    cpod_setup
    export HOME=$CPOD_TEST_DIR/home
    mkdir -p "$HOME"
    export CONTAINERS_REGISTRIES_CONF=$CPOD_TEST_DIR/registries.conf
    export CONTAINERS_REGISTRIES_CONF_DIR=$CPOD_TEST_DIR/registries.conf.d
    mkdir -p "$CONTAINERS_REGISTRIES_CONF_DIR"
    printf '[[registry]]\nlocation = "%s"\ninsecure = true\n' "$PLAIN_HOST" >"$CONTAINERS_REGISTRIES_CONF"
}

policy() { # NAME JSON
    echo "$2" >"$CPOD_TEST_DIR/$1.json"
}

blob_gets() {
    grep -c "GET /v2/.*/blobs/" "$PLAIN/registry.log" || true
}

assert_nothing_stored() {
    run_cpod images -q
    assert_output ""
    [ -z "$(ls "$CPOD_ROOT/storage/overlay" 2>/dev/null | grep -v '^l$')" ]
}

@test "a default-reject policy refuses the pull before any blob is fetched; nothing is stored" {
    policy reject '{"default": [{"type": "reject"}]}'
    before=$(blob_gets)
    run_cpod 125 pull --signature-policy "$CPOD_TEST_DIR/reject.json" "$PLAIN_HOST/busybox:latest"
    assert_output --partial "Error: Source image rejected: Running image docker://$PLAIN_HOST/busybox:latest is rejected by policy."
    [ "$(blob_gets)" = "$before" ]
    assert_nothing_stored
    run_cpod 125 run --rm --signature-policy "$CPOD_TEST_DIR/reject.json" "$PLAIN_HOST/busybox:latest" true
    assert_output --partial "rejected by policy"
    run_cpod ps -aq
    assert_output ""
}

@test "scopes: the most specific of repository, namespace, host and default wins" {
    policy scoped "{\"default\": [{\"type\": \"reject\"}],
      \"transports\": {\"docker\": {\"$PLAIN_HOST/team\": [{\"type\": \"insecureAcceptAnything\"}],
                                  \"$PLAIN_HOST/team/app:2\": [{\"type\": \"reject\"}]}}}"
    run_cpod pull -q --signature-policy "$CPOD_TEST_DIR/scoped.json" "$PLAIN_HOST/team/app:1"
    assert_output --regexp '^[0-9a-f]{64}$'
    run_cpod 125 pull -q --signature-policy "$CPOD_TEST_DIR/scoped.json" "$PLAIN_HOST/busybox:latest"
    assert_output --partial "rejected by policy"
    # a tag-level scope is more specific than the namespace
    run_cpod 125 pull -q --signature-policy "$CPOD_TEST_DIR/scoped.json" "$PLAIN_HOST/team/app:2"
    assert_output --partial "Running image docker://$PLAIN_HOST/team/app:2 is rejected by policy."
    # host scope
    policy host "{\"default\": [{\"type\": \"insecureAcceptAnything\"}],
      \"transports\": {\"docker\": {\"$PLAIN_HOST\": [{\"type\": \"reject\"}]}}}"
    run_cpod 125 pull -q --signature-policy "$CPOD_TEST_DIR/host.json" "$PLAIN_HOST/team/app:1"
    assert_output --partial "rejected by policy"
}

@test "signature requirements fail closed: no signature storage, no sigstore attachments; all must hold" {
    policy signed '{"default": [{"type": "signedBy", "keyType": "GPGKeys", "keyPath": "/nonexistent.gpg"}]}'
    run_cpod 125 pull --signature-policy "$CPOD_TEST_DIR/signed.json" "$PLAIN_HOST/busybox:latest"
    assert_output --partial "Source image rejected: A signature was required, but no signature exists (registries.d names no signature storage for $PLAIN_HOST/busybox)"
    policy both '{"default": [{"type": "insecureAcceptAnything"}, {"type": "sigstoreSigned", "keyPath": "/k.pub"}]}'
    run_cpod 125 pull --signature-policy "$CPOD_TEST_DIR/both.json" "$PLAIN_HOST/busybox:latest"
    assert_output --partial "Source image rejected: A signature was required, but no signature exists (registries.d does not set use-sigstore-attachments for $PLAIN_HOST/busybox)"
    assert_nothing_stored
}

@test "a missing, malformed or unknown-type policy blocks the pull, never accepts" {
    run_cpod 125 pull --signature-policy "$CPOD_TEST_DIR/missing.json" "$PLAIN_HOST/busybox:latest"
    assert_output --partial "missing.json"
    assert_output --partial "no such file or directory"
    policy broken '{"default": [{"type": "insecureAcceptAnything"}'
    run_cpod 125 pull --signature-policy "$CPOD_TEST_DIR/broken.json" "$PLAIN_HOST/busybox:latest"
    assert_output --partial "invalid policy in \"$CPOD_TEST_DIR/broken.json\""
    policy unknown '{"default": [{"type": "trustMeIAmAnEngineer"}]}'
    run_cpod 125 pull --signature-policy "$CPOD_TEST_DIR/unknown.json" "$PLAIN_HOST/busybox:latest"
    assert_output --partial "Unknown policy requirement type \"trustMeIAmAnEngineer\""
    policy nodefault '{"transports": {}}'
    run_cpod 125 pull --signature-policy "$CPOD_TEST_DIR/nodefault.json" "$PLAIN_HOST/busybox:latest"
    assert_output --partial "Missing \"default\" field"
    assert_nothing_stored
}

@test "the user's ~/.config/containers/policy.json applies without the flag" {
    mkdir -p "$HOME/.config/containers"
    echo '{"default": [{"type": "reject"}]}' >"$HOME/.config/containers/policy.json"
    run_cpod 125 pull "$PLAIN_HOST/busybox:latest"
    assert_output --partial "rejected by policy"
    rm "$HOME/.config/containers/policy.json"
    run_cpod pull -q "$PLAIN_HOST/busybox:latest"
}

@test "load and local transports are checked against their transport's scopes" {
    policy archives "{\"default\": [{\"type\": \"insecureAcceptAnything\"}],
      \"transports\": {\"docker-archive\": {\"\": [{\"type\": \"reject\"}]},
                      \"oci\": {\"$FX/busybox/oci\": [{\"type\": \"reject\"}]}}}"
    run_cpod 125 load --signature-policy "$CPOD_TEST_DIR/archives.json" -i "$FX/busybox/busybox-docker.tar"
    assert_output "Error: Source image rejected: Running image docker-archive:$FX/busybox/busybox-docker.tar:localhost/busybox:latest is rejected by policy."
    run_cpod 125 pull --signature-policy "$CPOD_TEST_DIR/archives.json" "oci:$FX/busybox/oci"
    assert_output --partial "rejected by policy"
    assert_nothing_stored
    run_cpod load -q --signature-policy "$CPOD_TEST_DIR/archives.json" -i "$FX/busybox/busybox-oci.tar"
    assert_output --partial "Loaded image"
}
