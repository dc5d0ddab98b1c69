#!/usr/bin/env bats
# image trust set / show: containers-policy.json edited per scope and listed as podman lists it,
# with the e-mail addresses of real GPG keys (made here with gpg) and registries.d's storage.

load helpers

setup() {
    cpod_setup
    P=$CPOD_TEST_DIR/policy.json
    echo '{"default": [{"type": "insecureAcceptAnything"}], "transports": {"docker-daemon": {"": [{"type": "insecureAcceptAnything"}]}}}' >"$P"
    (
        export GNUPGHOME=$CPOD_TEST_DIR/gnupg
        mkdir -m 700 "$GNUPGHOME"
        gpg --batch --passphrase '' --quick-gen-key "cpod trust <trust@example.com>" default default never 2>/dev/null
        gpg --armor --export trust@example.com >"$CPOD_TEST_DIR/trust.gpg"
        gpgconf --kill gpg-agent
    )
    mkdir -p "$CPOD_TEST_DIR/registries.d"
    printf 'docker:\n  registry.example.com/foo:\n    lookaside: https://sigs.example.com/foo\n' \
        >"$CPOD_TEST_DIR/registries.d/foo.yaml"
}

@test "image trust set writes podman's policy entries; show lists them with key identities and storage" {
    run_cpod image trust set --policypath "$P" -t reject docker.io
    run_cpod image trust set --policypath "$P" -t accept quay.io
    run_cpod image trust set --policypath "$P" -f "$CPOD_TEST_DIR/trust.gpg" registry.example.com/foo
    run jq -c '.transports.docker' "$P"
    assert_output '{"docker.io":[{"type":"reject"}],"quay.io":[{"type":"insecureAcceptAnything"}],"registry.example.com/foo":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"'"$CPOD_TEST_DIR"'/trust.gpg"}]}'
    run_cpod image trust show --policypath "$P" --registrypath "$CPOD_TEST_DIR/registries.d"
    assert_line --index 0 --regexp '^TRANSPORT +NAME +TYPE +ID +STORE$'
    assert_line --index 1 --regexp '^all +default +accept *$'
    assert_line --index 2 --regexp '^repository +docker\.io +reject *$'
    assert_line --index 3 --regexp '^repository +quay\.io +accept *$'
    assert_line --index 4 --regexp '^repository +registry\.example\.com/foo +signed +trust@example\.com +https://sigs\.example\.com/foo$'
    assert_line --index 5 --regexp '^docker-daemon +accept *$'
    run_cpod image trust show --policypath "$P" -n
    refute_line --partial TRANSPORT
    run_cpod image trust show --policypath "$P" --registrypath "$CPOD_TEST_DIR/registries.d" --json
    run jq -c '.[0], .[3]' <<<"$output"
    assert_line --index 0 '{"transport":"all","name":"* (default)","repo_name":"default","type":"accept"}'
    assert_line --index 1 '{"transport":"repository","name":"registry.example.com/foo","repo_name":"registry.example.com/foo","type":"signed","gpg_id":"trust@example.com","sigstore":"https://sigs.example.com/foo"}'
    run_cpod image trust show --policypath "$P" --raw
    assert_output "$(cat "$P")"
    # the default scope, and a policy that does not exist yet
    run_cpod image trust set --policypath "$P" -t reject default
    run jq -c '.default' "$P"
    assert_output '[{"type":"reject"}]'
    run_cpod image trust set --policypath "$CPOD_TEST_DIR/new.json" -t accept default
    run jq -c . "$CPOD_TEST_DIR/new.json"
    assert_output '{"default":[{"type":"insecureAcceptAnything"}]}'
}

@test "image trust set refuses what podman refuses, and a broken policy is named" {
    run_cpod 125 image trust set --policypath "$P" registry.example.com
    assert_output "Error: at least one public key must be defined for type 'signedBy'"
    run_cpod 125 image trust set --policypath "$P" -t bogus registry.example.com
    assert_output "Error: invalid choice: bogus (choose from 'accept', 'reject', 'signedBy', 'sigstoreSigned')"
    run_cpod 125 image trust set --policypath "$P" -f "$CPOD_TEST_DIR/nokey.gpg" registry.example.com
    assert_output --partial "validating public key file $CPOD_TEST_DIR/nokey.gpg"
    run_cpod 125 image trust set --policypath "$P" -t accept 'foo bar'
    assert_output "Error: invalid image uri: foo bar"
    run_cpod 125 image trust set --policypath "$CPOD_TEST_DIR/missing.json" -t accept quay.io
    assert_output "Error: default trust policy must be set"
    # nothing was written by the refused calls
    run jq -c '.transports.docker' "$P"
    assert_output null
    echo '{bad' >"$CPOD_TEST_DIR/bad.json"
    run_cpod 125 image trust show --policypath "$CPOD_TEST_DIR/bad.json"
    assert_output --partial "could not show trust policies"
    assert_output --partial "bad.json"
    run_cpod 125 image trust set --policypath "$CPOD_TEST_DIR/bad.json" -t accept quay.io
    assert_output --partial "bad.json"
}
