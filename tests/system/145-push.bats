#!/usr/bin/env bats
# push (and image push) against real docker-registry instances on 127.0.0.1 (plain HTTP, TLS with
# a private CA, htpasswd auth over TLS) and to the local transports; results are read back with
# skopeo and by pulling into a second private store and running the image.  A registry killed
# mid-push gives a clear error and leaves no tag.  The registries live for the file and are
# stopped by PID in teardown_file; the one a test kills is its own.

load helpers

REG=$BATS_TEST_DIRNAME/../fixtures/registry.sh

reg_var() { # DIR VAR: one FIXTURE_REGISTRY_* value of the registry in DIR
    (eval "$("$REG" env "$1")" && eval "echo \"\$FIXTURE_REGISTRY_$2\"")
}

setup_file() {
    local t
    for t in skopeo docker-registry htpasswd openssl jq gpg; do
        command -v "$t" >/dev/null || skip "$t not installed"
    done
    export FX
    FX=$(fixtures_dir)
    export PLAIN=$BATS_FILE_TMPDIR/plain TLS=$BATS_FILE_TMPDIR/tls AUTH=$BATS_FILE_TMPDIR/auth
    "$REG" start --mode plain "$PLAIN" 2>/dev/null
    "$REG" start --mode tls "$TLS" 2>/dev/null
    "$REG" start --mode auth "$AUTH" 2>/dev/null
    export PLAIN_HOST TLS_HOST AUTH_HOST
    PLAIN_HOST=$(reg_var "$PLAIN" HOST)
    TLS_HOST=$(reg_var "$TLS" HOST)
    AUTH_HOST=$(reg_var "$AUTH" HOST)
}

teardown_file() {
    local d
    for d in "${PLAIN:-}" "${TLS:-}" "${AUTH:-}"; do
        [ -n "$d" ] && [ -d "$d" ] && "$REG" stop "$d" &
    done
    wait
}

setup() {
    cpod_setup
    export HOME=$CPOD_TEST_DIR/home XDG_RUNTIME_DIR=$CPOD_TEST_DIR/xdg
    export CONTAINERS_REGISTRIES_CONF=$CPOD_TEST_DIR/registries.conf
    export CONTAINERS_REGISTRIES_CONF_DIR=$CPOD_TEST_DIR/registries.conf.d
    export CPOD_CERTS_D=$CPOD_TEST_DIR/certs.d
    unset REGISTRY_AUTH_FILE DOCKER_CONFIG XDG_CONFIG_HOME
    mkdir -p "$HOME" "$XDG_RUNTIME_DIR" "$CONTAINERS_REGISTRIES_CONF_DIR" "$CPOD_CERTS_D"
    printf '[[registry]]\nlocation = "%s"\ninsecure = true\n' "$PLAIN_HOST" >"$CONTAINERS_REGISTRIES_CONF"
    load_busybox
    ROOT2=$CPOD_TEST_DIR/root2 RUNROOT2=$CPOD_TEST_DIR/runroot2
}

teardown() {
    if [ -n "${ROOT2:-}" ] && [ -d "$ROOT2" ]; then
        "$CPOD_BIN" --root "$ROOT2" --runroot "$RUNROOT2" rm -af -t 0 >/dev/null 2>&1 || true
    fi
    if [ -n "${KILLED_REG:-}" ]; then
        "$REG" stop "$KILLED_REG" 2>/dev/null || true
    fi
    cpod_teardown
}

cpod2() { "$CPOD_BIN" --root "$ROOT2" --runroot "$RUNROOT2" "$@"; }

# Blob uploads the registry in DIR has completed so far (its access log).
uploads() { grep -c 'PUT /v2/[^ ]*/blobs/uploads/' "$1/registry.log" || true; }

@test "push to a registry: podman's progress lines, the digest skopeo sees, and the image runs from a second store" {
    run_cpod push --digestfile "$CPOD_TEST_DIR/digest" localhost/busybox "$PLAIN_HOST/pushed/busybox:v1"
    diff_id=$(cpod image inspect --format '{{index .RootFS.Layers 0}}' localhost/busybox)
    id=$(cpod image inspect --format '{{.Id}}' localhost/busybox)
    assert_equal "${lines[0]}" "Getting image source signatures"
    assert_equal "${lines[1]}" "Copying blob $diff_id"
    assert_equal "${lines[2]}" "Copying config sha256:$id"
    assert_equal "${lines[3]}" "Writing manifest to image destination"
    assert_equal "${lines[4]}" "Storing signatures"
    digest=$(cat "$CPOD_TEST_DIR/digest")
    [[ $digest =~ ^sha256:[0-9a-f]{64}$ ]]
    run skopeo inspect --tls-verify=false "docker://$PLAIN_HOST/pushed/busybox:v1"
    assert_success
    assert_equal "$(jq -r .Digest <<<"$output")" "$digest"
    raw=$(skopeo inspect --raw --tls-verify=false "docker://$PLAIN_HOST/pushed/busybox:v1")
    assert_equal "sha256:$(printf '%s' "$raw" | sha256sum | cut -d' ' -f1)" "$digest"
    # the image was loaded from a docker archive: pushed as Docker schema 2 with gzip layers
    assert_equal "$(jq -r .mediaType <<<"$raw")" "application/vnd.docker.distribution.manifest.v2+json"
    assert_equal "$(jq -r '.layers[0].mediaType' <<<"$raw")" "application/vnd.docker.image.rootfs.diff.tar.gzip"
    # skopeo copies it back; the config is the one cpod holds
    run skopeo inspect --config --tls-verify=false "docker://$PLAIN_HOST/pushed/busybox:v1"
    assert_equal "$(jq -c .rootfs.diff_ids <<<"$output")" "[\"$diff_id\"]"
    run skopeo copy -q --src-tls-verify=false "docker://$PLAIN_HOST/pushed/busybox:v1" "dir:$CPOD_TEST_DIR/back"
    assert_success
    # a second store pulls it (same image ID) and runs it
    run cpod2 pull -q "$PLAIN_HOST/pushed/busybox:v1"
    assert_success
    assert_output "$id"
    run cpod2 image inspect --format '{{.Digest}}' "$PLAIN_HOST/pushed/busybox:v1"
    assert_output "$digest"
    run cpod2 run --rm --network none "$PLAIN_HOST/pushed/busybox:v1" echo pushed-and-pulled
    assert_success
    assert_output "pushed-and-pulled"
    # the push is in the event log
    run_cpod events --stream=false --filter event=push --format '{{.Type}} {{.Status}} {{.ID}} {{.Name}}'
    assert_output "image push $id localhost/busybox"
}

@test "push again: blobs the registry has are not uploaded again; docker:// prefix, image push, DEST defaulting to IMAGE" {
    run_cpod push -q localhost/busybox "$PLAIN_HOST/again:1"
    assert_output ""
    before=$(uploads "$PLAIN")
    run_cpod image push -q localhost/busybox "docker://$PLAIN_HOST/again:2"
    assert_equal "$(uploads "$PLAIN")" "$before"
    # same manifest under both tags
    d1=$(skopeo inspect --tls-verify=false "docker://$PLAIN_HOST/again:1" | jq -r .Digest)
    d2=$(skopeo inspect --tls-verify=false "docker://$PLAIN_HOST/again:2" | jq -r .Digest)
    assert_equal "$d1" "$d2"
    # without DESTINATION the image's own name is the destination
    run_cpod tag localhost/busybox "$PLAIN_HOST/self:tag"
    run_cpod push -q "$PLAIN_HOST/self:tag"
    run skopeo inspect --tls-verify=false "docker://$PLAIN_HOST/self:tag"
    assert_success
}

@test "a pulled image pushed to another repository of its registry: layers mounted, not compressed or sent again" {
    run_cpod push -q localhost/busybox "$PLAIN_HOST/src/bb:1"
    src=$(skopeo inspect --tls-verify=false "docker://$PLAIN_HOST/src/bb:1" | jq -r .Digest)
    run cpod2 pull -q "$PLAIN_HOST/src/bb:1"
    assert_success
    before=$(uploads "$PLAIN")
    run cpod2 push --digestfile "$CPOD_TEST_DIR/digest" "$PLAIN_HOST/src/bb:1" "$PLAIN_HOST/dst/bb:1"
    assert_success
    grep -q "POST /v2/dst/bb/blobs/uploads/?mount=sha256:[0-9a-f]*&from=src/bb " "$PLAIN/registry.log"
    assert_equal "$(uploads "$PLAIN")" "$((before + 1))" # the config only
    # the same blobs, config and manifest type: the same manifest
    assert_equal "$(cat "$CPOD_TEST_DIR/digest")" "$src"
    # pulled anew from the destination and run
    run cpod2 run --rm --network none "$PLAIN_HOST/dst/bb:1" echo mounted
    assert_success
    assert_line --index 0 "Trying to pull $PLAIN_HOST/dst/bb:1..."
    assert_line --index -1 "mounted"
}

@test "push --format oci, --compression-format zstd, and the refused combinations" {
    run_cpod push -q --format oci localhost/busybox "$PLAIN_HOST/fmt:oci"
    raw=$(skopeo inspect --raw --tls-verify=false "docker://$PLAIN_HOST/fmt:oci")
    assert_equal "$(jq -r .mediaType <<<"$raw")" "application/vnd.oci.image.manifest.v1+json"
    assert_equal "$(jq -r '.layers[0].mediaType' <<<"$raw")" "application/vnd.oci.image.layer.v1.tar+gzip"
    # zstd layers: the OCI type is chosen, and a second store pulls and runs it
    run_cpod push -q --compression-format zstd localhost/busybox "$PLAIN_HOST/fmt:zstd"
    raw=$(skopeo inspect --raw --tls-verify=false "docker://$PLAIN_HOST/fmt:zstd")
    assert_equal "$(jq -r .mediaType <<<"$raw")" "application/vnd.oci.image.manifest.v1+json"
    assert_equal "$(jq -r '.layers[0].mediaType' <<<"$raw")" "application/vnd.oci.image.layer.v1.tar+zstd"
    layer=$(jq -r '.layers[0].digest' <<<"$raw")
    run bash -c "curl -sf http://$PLAIN_HOST/v2/fmt/blobs/$layer | head -c 4 | od -An -tx1"
    assert_output " 28 b5 2f fd" # the zstd frame magic
    run cpod2 pull -q "$PLAIN_HOST/fmt:zstd"
    assert_success
    run cpod2 run --rm --network none "$PLAIN_HOST/fmt:zstd" echo zstd-ok
    assert_output "zstd-ok"
    run_cpod push -q --format v2s2 localhost/busybox "$PLAIN_HOST/fmt:v2s2"
    raw=$(skopeo inspect --raw --tls-verify=false "docker://$PLAIN_HOST/fmt:v2s2")
    assert_equal "$(jq -r .mediaType <<<"$raw")" "application/vnd.docker.distribution.manifest.v2+json"
    # refused, each with one line and nothing pushed
    run_cpod 125 push --format v2s1 localhost/busybox "$PLAIN_HOST/fmt:bad"
    assert_output --partial '"v2s1" (Docker schema 1) is not supported'
    run_cpod 125 push --format xml localhost/busybox "$PLAIN_HOST/fmt:bad"
    assert_output --partial 'unknown format "xml"'
    run_cpod 125 push --compression-format zstd --format v2s2 localhost/busybox "$PLAIN_HOST/fmt:bad"
    assert_output --partial "zstd compression is not supported with the v2s2 manifest format"
    run_cpod 125 push --compression-format lz4 localhost/busybox "$PLAIN_HOST/fmt:bad"
    assert_output --partial "unsupported compression format lz4"
    run_cpod 125 push --sign-by-sigstore-private-key /nonexistent localhost/busybox "$PLAIN_HOST/fmt:bad"
    assert_output --partial "not supported"
    run skopeo inspect --tls-verify=false "docker://$PLAIN_HOST/fmt:bad"
    assert_failure
}

@test "push over TLS: an unknown CA is refused, --cert-dir and --tls-verify=false work" {
    run_cpod 125 push -q localhost/busybox "$TLS_HOST/tls:1"
    assert_output --partial "certificate"
    assert_equal "${#lines[@]}" 1
    run_cpod push -q --cert-dir "$(reg_var "$TLS" CERT_DIR_NOCLIENT)" localhost/busybox "$TLS_HOST/tls:1"
    run_cpod push -q --tls-verify=false localhost/busybox "$TLS_HOST/tls:2"
    run skopeo inspect --cert-dir "$(reg_var "$TLS" CERT_DIR_NOCLIENT)" "docker://$TLS_HOST/tls:1"
    assert_success
    run skopeo inspect --tls-verify=false "docker://$TLS_HOST/tls:2"
    assert_success
}

@test "push with auth: refused without or with wrong credentials, accepted with --creds and --authfile" {
    local certs
    certs=$(reg_var "$AUTH" CERT_DIR_NOCLIENT)
    run_cpod 125 push -q --cert-dir "$certs" localhost/busybox "$AUTH_HOST/private/bb:1"
    assert_output --partial "authentication required"
    run_cpod 125 push -q --cert-dir "$certs" --creds testuser:wrong localhost/busybox "$AUTH_HOST/private/bb:1"
    assert_output --partial "authentication required"
    run skopeo inspect --cert-dir "$certs" --creds "$(reg_var "$AUTH" CREDS)" "docker://$AUTH_HOST/private/bb:1"
    assert_failure
    run_cpod push -q --cert-dir "$certs" --creds "$(reg_var "$AUTH" CREDS)" localhost/busybox "$AUTH_HOST/private/bb:1"
    run_cpod push -q --cert-dir "$certs" --authfile "$(reg_var "$AUTH" AUTHFILE)" localhost/busybox \
        "$AUTH_HOST/private/bb:2"
    for t in 1 2; do
        run skopeo inspect --cert-dir "$certs" --creds "$(reg_var "$AUTH" CREDS)" "docker://$AUTH_HOST/private/bb:$t"
        assert_success
    done
    run_cpod 125 push --authfile "$CPOD_TEST_DIR/none.json" localhost/busybox "$AUTH_HOST/private/bb:3"
    assert_output --partial "credential file is not accessible"
}

@test "push to dir:, oci:, oci-archive: and docker-archive: writes what skopeo and load read" {
    local d=$CPOD_TEST_DIR/out id
    id=$(cpod image inspect --format '{{.Id}}' localhost/busybox)
    mkdir -p "$d"
    run_cpod push -q localhost/busybox "dir:$d/dir"
    run_cpod push -q localhost/busybox "oci:$d/layout:app:1"
    run_cpod push -q localhost/busybox "oci-archive:$d/app.tar"
    run_cpod push -q localhost/busybox "docker-archive:$d/docker.tar:example.com/app:2"
    run skopeo inspect --config "dir:$d/dir"
    assert_success
    assert_equal "sha256:$(printf '%s' "$output" | jq -c . | sha256sum | cut -d' ' -f1)" "$(skopeo inspect --raw "dir:$d/dir" | jq -r .config.digest)"
    run skopeo inspect "oci:$d/layout:app:1"
    assert_success
    run skopeo inspect "oci-archive:$d/app.tar"
    assert_success
    run skopeo inspect "docker-archive:$d/docker.tar"
    assert_success
    run cpod2 load -i "$d/docker.tar"
    assert_success
    assert_output "Loaded image: example.com/app:2"
    run cpod2 image inspect --format '{{.Id}}' example.com/app:2
    assert_output "$id"
    # no temporary archive is left next to the results
    run ls -A "$d"
    assert_output "app.tar
dir
docker.tar
layout"
    run_cpod 125 push localhost/busybox "docker-daemon:example.com/app:1"
    assert_output --partial "pushing to the docker-daemon transport is not supported"
    run_cpod 125 push localhost/nosuch "$PLAIN_HOST/nosuch:1"
    assert_output --partial "image not known"
}

@test "push --sign-by signs into the lookaside storage: skopeo and cpod's signedBy policy accept it" {
    local w=$CPOD_TEST_DIR/sig
    mkdir -p "$w/gnupg" "$w/regd" "$w/sigs"
    chmod 700 "$w/gnupg"
    export GNUPGHOME=$w/gnupg
    gpg --batch --passphrase '' --quick-gen-key "cpod push <push@example.com>" default default never 2>/dev/null
    gpg --armor --export push@example.com >"$w/push.gpg"
    printf 'docker:\n  %s:\n    lookaside: file://%s\n' "$PLAIN_HOST" "$w/sigs" >"$w/regd/local.yaml"
    mkdir -p "$HOME/.config/containers"
    ln -s "$w/regd" "$HOME/.config/containers/registries.d"
    echo "{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"docker\": {\"$PLAIN_HOST\":
        [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"$w/push.gpg\"}]}}}" >"$w/policy.json"
    run_cpod push --digestfile "$w/digest" --sign-by push@example.com localhost/busybox "$PLAIN_HOST/signed:1"
    assert_line --index 3 "Writing manifest to image destination"
    assert_line --index 4 "Signing manifest using simple signing"
    assert_line --index 5 "Storing signatures"
    digest=$(cat "$w/digest")
    [ -f "$w/sigs/signed@sha256=${digest#sha256:}/signature-1" ]
    run skopeo copy -q --policy "$w/policy.json" --registries.d "$w/regd" --src-tls-verify=false \
        "docker://$PLAIN_HOST/signed:1" "dir:$w/copy"
    assert_success
    run cpod2 pull -q --signature-policy "$w/policy.json" "$PLAIN_HOST/signed:1"
    assert_success
    # an unsigned push of the same repository is refused by the same policy
    run_cpod push -q localhost/busybox "$PLAIN_HOST/signed:unsigned"
    run cpod2 pull -q --signature-policy "$w/policy.json" "$PLAIN_HOST/signed:unsigned"
    assert_failure 125
    # a key that is not there: an error, and no signature file
    run_cpod 125 push -q --sign-by nobody@example.com localhost/busybox "$PLAIN_HOST/signed:2"
    assert_output --partial 'signing key "nobody@example.com" not found'
    gpgconf --kill gpg-agent 2>/dev/null || true
}

@test "a multi-layer image: its layers are uploaded in parallel and a second store pulls the same image" {
    local layered=$CPOD_TEST_DIR/layered id
    "$BATS_TEST_DIRNAME/../fixtures/make-layered-image.py" "$layered" --layers 5 --size $((1 << 20)) >/dev/null
    run_cpod pull -q "oci:$layered:latest"
    id=$output
    before=$(uploads "$PLAIN")
    run_cpod push -q "$id" "$PLAIN_HOST/layered:1"
    assert_equal "$(uploads "$PLAIN")" "$((before + 6))" # five layers and the config
    run skopeo inspect --config --tls-verify=false "docker://$PLAIN_HOST/layered:1"
    assert_equal "$(jq -c .rootfs.diff_ids <<<"$output")" \
        "$(cpod image inspect --format '{{json .RootFS.Layers}}' "$id")"
    run cpod2 pull -q "$PLAIN_HOST/layered:1"
    assert_success
    assert_output "$id"
}

@test "a push whose registry is killed mid-upload fails with a clear error, exit 125, and leaves no tag" {
    local big=$CPOD_TEST_DIR/big own=$CPOD_TEST_DIR/own host
    "$BATS_TEST_DIRNAME/../fixtures/make-layered-image.py" "$big" --layers 1 --size $((64 << 20)) >/dev/null
    run_cpod pull -q "oci:$big:latest"
    id=$output
    "$REG" start --mode plain "$own" 2>/dev/null
    KILLED_REG=$own
    host=$(reg_var "$own" HOST)
    printf '[[registry]]\nlocation = "%s"\ninsecure = true\n' "$host" >"$CONTAINERS_REGISTRIES_CONF"
    "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" push -q "$id" "$host/big:1" \
        >"$CPOD_TEST_DIR/push.out" 2>&1 &
    pid=$!
    # the upload session is open: the 64 MiB PUT is on its way when the registry dies
    for _ in $(seq 1200); do
        grep -q 'POST /v2/big/blobs/uploads/' "$own/registry.log" && break
        sleep 0.02
    done
    grep -q 'POST /v2/big/blobs/uploads/' "$own/registry.log"
    kill -9 "$(cat "$own/pid")"
    rc=0
    wait "$pid" || rc=$?
    cat "$CPOD_TEST_DIR/push.out"
    assert_equal "$rc" 125
    run cat "$CPOD_TEST_DIR/push.out"
    assert_output --regexp "^Error: pushing image .*uploading blob sha256:[0-9a-f]{64} to $host/big: PUT \"http://$host/v2/big/blobs/uploads/[^?\"]*\": .*(Connection refused|Couldn't connect|Connection reset|Send failure|Recv failure)"
    assert_equal "${#lines[@]}" 1
    [ ! -e "$own/data/docker/registry/v2/repositories/big/_manifests/tags/1" ]
    # nothing of the push is left in the store's temporary directory
    [ -z "$(ls -A "$CPOD_ROOT/storage/tmp" 2>/dev/null)" ]
}
