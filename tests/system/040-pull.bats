#!/usr/bin/env bats
# pull, login, logout, search and run --pull against real docker-registry
# instances on 127.0.0.1 (plain HTTP, TLS with a private CA, htpasswd auth),
# holding images pushed by skopeo: the busybox fixture, a two-arch OCI index,
# a variant image and a four-layer image.
#
# Isolation: every test has its own HOME, XDG_RUNTIME_DIR, registries.conf
# (CONTAINERS_REGISTRIES_CONF) and an empty drop-in directory
# (CONTAINERS_REGISTRIES_CONF_DIR: otherwise the host's
# /etc/containers/registries.conf.d would still be read, as podman does), and
# an empty certs.d root (CPOD_CERTS_D).  The registries live for the file and
# are stopped by PID in teardown_file.

load helpers

REG=$BATS_TEST_DIRNAME/../fixtures/registry.sh

reg_var() { # DIR VAR: one FIXTURE_REGISTRY_* value of the registry in DIR
    (eval "$("$REG" env "$1")" && eval "echo \"\$FIXTURE_REGISTRY_$2\"")
}

setup_file() {
    local t
    for t in skopeo docker-registry htpasswd openssl jq curl python3; do
        command -v "$t" >/dev/null || skip "$t not installed"
    done
    export FX
    FX=$(fixtures_dir)
    export IMG=$BATS_FILE_TMPDIR/img
    "$BATS_TEST_DIRNAME/../fixtures/build-busybox-image.sh" "$IMG" --multi >/dev/null
    "$BATS_TEST_DIRNAME/../fixtures/make-layered-image.py" "$BATS_FILE_TMPDIR/layered" --layers 4 \
        --size $((512 << 10)) >/dev/null
    export PLAIN=$BATS_FILE_TMPDIR/plain TLS=$BATS_FILE_TMPDIR/tls AUTH=$BATS_FILE_TMPDIR/auth
    "$REG" start --mode plain "$PLAIN" 2>/dev/null
    "$REG" start --mode tls "$TLS" 2>/dev/null
    "$REG" start --mode auth "$AUTH" 2>/dev/null
    export PLAIN_HOST TLS_HOST AUTH_HOST
    PLAIN_HOST=$(reg_var "$PLAIN" HOST)
    TLS_HOST=$(reg_var "$TLS" HOST)
    AUTH_HOST=$(reg_var "$AUTH" HOST)
    "$REG" push "$PLAIN" "oci:$IMG/oci:latest" busybox:latest >/dev/null 2>&1
    "$REG" push "$PLAIN" "oci:$IMG/oci:latest" busybox:second >/dev/null 2>&1
    "$REG" push "$PLAIN" "oci:$IMG/multi:latest" multi:latest >/dev/null 2>&1
    "$REG" push "$PLAIN" "oci:$FX/variant/oci:latest" variant:latest >/dev/null 2>&1
    "$REG" push "$PLAIN" "oci:$BATS_FILE_TMPDIR/layered:latest" layered:latest >/dev/null 2>&1
    "$REG" push "$TLS" "oci:$IMG/oci:latest" busybox:latest >/dev/null 2>&1
    "$REG" push "$AUTH" "oci:$IMG/oci:latest" private/busybox:latest >/dev/null 2>&1
}

teardown_file() {
    local d
    for d in "${PLAIN:-}" "${TLS:-}" "${AUTH:-}"; do
        [ -n "$d" ] && [ -d "$d" ] && "$REG" stop "$d" &
    done
    wait
}

write_conf() { # registries.conf content on stdin
    cat > "$CONTAINERS_REGISTRIES_CONF"
}

setup() {
    cpod_setup
    # shellcheck disable=SC1091
    source "$IMG/image.env"
    export HOME=$CPOD_TEST_DIR/home XDG_RUNTIME_DIR=$CPOD_TEST_DIR/xdg
    export CONTAINERS_REGISTRIES_CONF=$CPOD_TEST_DIR/registries.conf
    export CONTAINERS_REGISTRIES_CONF_DIR=$CPOD_TEST_DIR/registries.conf.d
    export CPOD_CERTS_D=$CPOD_TEST_DIR/certs.d
    unset REGISTRY_AUTH_FILE DOCKER_CONFIG XDG_CONFIG_HOME
    mkdir -p "$HOME" "$XDG_RUNTIME_DIR" "$CONTAINERS_REGISTRIES_CONF_DIR" "$CPOD_CERTS_D"
    write_conf <<EOF
unqualified-search-registries = ["$PLAIN_HOST"]

[[registry]]
location = "$PLAIN_HOST"
insecure = true
EOF
}

# Nothing was stored: no image, no layer directory, no leftover workspace.
assert_store_empty() {
    run_cpod images -q
    assert_output ""
    [ -z "$(ls "$CPOD_ROOT/storage/overlay" 2>/dev/null | grep -v '^l$')" ]
    [ -z "$(ls "$CPOD_ROOT/storage/tmp" 2>/dev/null)" ]
}

@test "pull by tag prints podman's progress lines and the image ID, and the image runs" {
    run_cpod pull "$PLAIN_HOST/busybox:latest"
    layer=$(jq -r '.layers[0].digest' "$IMG/oci/blobs/sha256/${FIXTURE_IMAGE_MANIFEST_DIGEST#sha256:}")
    assert_equal "${lines[0]}" "Trying to pull $PLAIN_HOST/busybox:latest..."
    assert_equal "${lines[1]}" "Getting image source signatures"
    assert_equal "${lines[2]}" "Copying blob $layer"
    assert_equal "${lines[3]}" "Copying config $FIXTURE_IMAGE_CONFIG_DIGEST"
    assert_equal "${lines[4]}" "Writing manifest to image destination"
    assert_equal "${lines[5]}" "Storing signatures"
    assert_equal "${lines[6]}" "$FIXTURE_IMAGE_ID"
    # stdout alone is the ID
    run bash -c "'$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' pull $PLAIN_HOST/busybox 2>/dev/null"
    assert_output "$FIXTURE_IMAGE_ID"
    run_cpod images --format '{{.Repository}}:{{.Tag}} {{.ID}}'
    assert_output "$PLAIN_HOST/busybox:latest ${FIXTURE_IMAGE_ID:0:12}"
    run_cpod image inspect --format '{{.Digest}} {{.Architecture}}' "$PLAIN_HOST/busybox"
    assert_output "$FIXTURE_IMAGE_MANIFEST_DIGEST $FIXTURE_IMAGE_ARCH"
    run_cpod run --rm "$PLAIN_HOST/busybox" cat /etc/hostname
    # diff IDs equal to what skopeo reads from the source
    want=$(skopeo inspect --config "oci:$IMG/oci" | jq -c .rootfs.diff_ids)
    run_cpod image inspect --format '{{json .RootFS.Layers}}' "$PLAIN_HOST/busybox"
    assert_output "$want"
}

@test "pull -q, docker:// prefix, and several images in one command" {
    run bash -c "'$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' pull -q docker://$PLAIN_HOST/busybox $PLAIN_HOST/variant 2>&1"
    assert_success
    assert_equal "${#lines[@]}" 2
    assert_equal "${lines[0]}" "$FIXTURE_IMAGE_ID"
    run_cpod images --format '{{.Repository}}' --sort repository
    assert_output "$PLAIN_HOST/busybox
$PLAIN_HOST/variant"
}

@test "pull by digest: an image manifest and a manifest list" {
    run_cpod pull -q "$PLAIN_HOST/busybox@$FIXTURE_IMAGE_MANIFEST_DIGEST"
    assert_output "$FIXTURE_IMAGE_ID"
    run_cpod image inspect --format '{{.Id}}' "$PLAIN_HOST/busybox@$FIXTURE_IMAGE_MANIFEST_DIGEST"
    assert_output "$FIXTURE_IMAGE_ID"
    run_cpod pull -q "$PLAIN_HOST/multi@$FIXTURE_MULTI_INDEX_DIGEST"
    assert_output "$FIXTURE_IMAGE_ID"
    run_cpod image inspect --format '{{.Id}}' "$PLAIN_HOST/multi@$FIXTURE_MULTI_INDEX_DIGEST"
    assert_output "$FIXTURE_IMAGE_ID"
    # a digest the registry does not have
    run_cpod 125 pull -q "$PLAIN_HOST/busybox@sha256:$(printf '0%.0s' {1..64})"
    assert_output --partial "manifest unknown"
}

@test "pull NAME:TAG@DIGEST names the image REPO@DIGEST, as podman; rmi of that name untags it" {
    run_cpod pull -q "$PLAIN_HOST/busybox:latest@$FIXTURE_IMAGE_MANIFEST_DIGEST"
    assert_output "$FIXTURE_IMAGE_ID"
    run_cpod images --format '{{.Repository}}:{{.Tag}}'
    assert_output "$PLAIN_HOST/busybox:<none>"
    run_cpod image inspect --format '{{len .RepoTags}} {{.RepoDigests}}' "$FIXTURE_IMAGE_ID"
    assert_output "0 [$PLAIN_HOST/busybox@$FIXTURE_IMAGE_MANIFEST_DIGEST]"
    run_cpod run --rm "$PLAIN_HOST/busybox@$FIXTURE_IMAGE_MANIFEST_DIGEST" echo by-digest
    assert_output by-digest
    run_cpod pull -q "$PLAIN_HOST/busybox:latest"
    run_cpod rmi "$PLAIN_HOST/busybox@$FIXTURE_IMAGE_MANIFEST_DIGEST"
    assert_output "Untagged: $PLAIN_HOST/busybox@$FIXTURE_IMAGE_MANIFEST_DIGEST"
    run_cpod images --format '{{.Repository}}:{{.Tag}}'
    assert_output "$PLAIN_HOST/busybox:latest"
}

@test "multi-arch index: host platform by default, --arch/--os/--variant/--platform, no match" {
    run_cpod pull -q "$PLAIN_HOST/multi"
    assert_output "$FIXTURE_IMAGE_ID"
    # known by the list's digest, as podman records it, and by the instance's
    run_cpod image inspect --format '{{.Digest}}' "$PLAIN_HOST/multi"
    assert_output "$FIXTURE_MULTI_INDEX_DIGEST"
    run_cpod image inspect --format '{{.Id}}' "$PLAIN_HOST/multi@$FIXTURE_IMAGE_MANIFEST_DIGEST"
    other=arm64
    [ "$FIXTURE_IMAGE_ARCH" = arm64 ] && other=amd64
    run_cpod pull -q --arch $other "$PLAIN_HOST/multi"
    other_id=$output
    [ "$other_id" != "$FIXTURE_IMAGE_ID" ]
    run_cpod image inspect --format '{{.Architecture}} {{.Os}}' "$other_id"
    assert_output "$other linux"
    run_cpod pull -q --platform linux/$other "$PLAIN_HOST/multi"
    assert_output "$other_id"
    run_cpod 125 pull -q --arch s390x "$PLAIN_HOST/multi"
    assert_output --regexp "^Error: .*$PLAIN_HOST/multi:latest.*no image found in manifest list for architecture s390x"
    assert_output --partial "linux/amd64, linux/arm64"
    run_cpod 125 pull --platform linux/amd64 --arch amd64 "$PLAIN_HOST/multi"
    assert_output "Error: --platform option can not be specified with --arch or --os"
}

@test "create --arch/--platform: a local image of another platform counts as missing" {
    run_cpod image pull -q "$PLAIN_HOST/multi"
    assert_output "$FIXTURE_IMAGE_ID"
    other=arm64
    [ "$FIXTURE_IMAGE_ARCH" = arm64 ] && other=amd64
    run_cpod 125 create --pull never --arch $other "$PLAIN_HOST/multi" true
    assert_output "Error: $PLAIN_HOST/multi: image not known"
    run_cpod create -q --arch $other --name other "$PLAIN_HOST/multi" true
    run_cpod inspect --format '{{.Image}}' other
    [ "$output" != "$FIXTURE_IMAGE_ID" ]
    run_cpod image inspect --format '{{.Architecture}}' "$output"
    assert_output "$other"
    run_cpod create --pull never --platform linux/$other --name again "$PLAIN_HOST/multi" true
    run_cpod 125 create --platform linux/$other --os linux "$PLAIN_HOST/multi" true
    assert_output "Error: --platform option can not be specified with --arch or --os"
}

@test "short names: unqualified-search-registries, aliases, enforcing mode, no search registries" {
    run_cpod pull busybox
    assert_line --index 0 "Resolving \"busybox\" using unqualified-search registries ($CONTAINERS_REGISTRIES_CONF)"
    assert_line --index 1 "Trying to pull $PLAIN_HOST/busybox:latest..."
    # an alias (from a drop-in file) wins over the search list
    cat > "$CONTAINERS_REGISTRIES_CONF_DIR/50-alias.conf" <<EOF
[aliases]
"bb" = "$PLAIN_HOST/variant"
EOF
    run_cpod pull bb:latest
    assert_line --index 0 "Resolved \"bb\" as an alias ($CONTAINERS_REGISTRIES_CONF_DIR/50-alias.conf)"
    assert_line --index 1 "Trying to pull $PLAIN_HOST/variant:latest..."
    # enforcing with two search registries and no terminal: a clear error
    write_conf <<EOF
unqualified-search-registries = ["$PLAIN_HOST", "$TLS_HOST"]
short-name-mode = "enforcing"
[[registry]]
location = "$PLAIN_HOST"
insecure = true
EOF
    run_cpod 125 pull busybox </dev/null
    assert_output --partial "short-name resolution enforced but cannot prompt without a TTY"
    # permissive: every candidate in order; the first that has it wins
    write_conf <<EOF
unqualified-search-registries = ["$TLS_HOST", "$PLAIN_HOST"]
short-name-mode = "permissive"
[[registry]]
location = "$PLAIN_HOST"
insecure = true
EOF
    run_cpod pull -q --retry 0 variant
    run_cpod image inspect --format '{{.RepoTags}}' "$output"
    assert_output "[$PLAIN_HOST/variant:latest]"
    : > "$CONTAINERS_REGISTRIES_CONF"
    rm -f "$CONTAINERS_REGISTRIES_CONF_DIR"/*
    run_cpod 125 pull busybox
    assert_output "Error: short-name \"busybox\" did not resolve to an alias and no unqualified-search registries are defined in \"$CONTAINERS_REGISTRIES_CONF, $CONTAINERS_REGISTRIES_CONF_DIR\""
}

@test "registries.conf: mirrors in order, location rewrite, mirror-by-digest-only, blocked" {
    # a dead primary with a dead mirror then a working one
    write_conf <<EOF
[[registry]]
prefix = "example.test/lib"
location = "127.0.0.1:9/lib"
[[registry.mirror]]
location = "127.0.0.1:9/nothing"
insecure = true
[[registry.mirror]]
location = "$PLAIN_HOST"
insecure = true
EOF
    run_cpod pull --retry 0 example.test/lib/busybox
    assert_line "Trying to pull example.test/lib/busybox:latest..."
    run_cpod images --format '{{.Repository}}:{{.Tag}}'
    assert_output "example.test/lib/busybox:latest"
    # mirror-by-digest-only: a tag goes to the (dead) primary only
    cat >> "$CONTAINERS_REGISTRIES_CONF" <<EOF
[[registry]]
prefix = "digest.test"
location = "127.0.0.1:9"
mirror-by-digest-only = true
[[registry.mirror]]
location = "$PLAIN_HOST"
insecure = true
EOF
    run_cpod 125 pull --retry 0 digest.test/busybox:latest
    assert_output --partial "127.0.0.1:9"
    run_cpod pull -q --retry 0 "digest.test/busybox@$FIXTURE_IMAGE_MANIFEST_DIGEST"
    assert_output "$FIXTURE_IMAGE_ID"
    # a location rewrite without mirrors
    cat >> "$CONTAINERS_REGISTRIES_CONF" <<EOF
[[registry]]
prefix = "rewrite.test/x"
location = "$PLAIN_HOST"
insecure = true
EOF
    run_cpod pull -q rewrite.test/x/variant
    run_cpod images --format '{{.Repository}}' --filter reference=rewrite.test/x/variant
    assert_output "rewrite.test/x/variant"
    cat >> "$CONTAINERS_REGISTRIES_CONF" <<EOF
[[registry]]
location = "$TLS_HOST"
blocked = true
EOF
    run_cpod 125 pull "$TLS_HOST/busybox"
    assert_output --partial "registry $TLS_HOST is blocked in $CONTAINERS_REGISTRIES_CONF"
}

@test "TLS: unknown CA refused; --cert-dir, a certs.d directory and --tls-verify=false work" {
    run_cpod 125 pull --retry 0 "$TLS_HOST/busybox"
    assert_output --regexp "pinging container registry $TLS_HOST: .*(certificate|issuer)"
    run_cpod pull -q --cert-dir "$(reg_var "$TLS" CERT_DIR)" "$TLS_HOST/busybox"
    assert_output "$FIXTURE_IMAGE_ID"
    run_cpod rmi -a
    cp -r "$(reg_var "$TLS" CERTS_D)/." "$CPOD_CERTS_D/"
    run_cpod pull -q "$TLS_HOST/busybox"
    assert_output "$FIXTURE_IMAGE_ID"
    run_cpod rmi -a
    rm -rf "${CPOD_CERTS_D:?}"/*
    run_cpod pull -q --tls-verify=false "$TLS_HOST/busybox"
    assert_output "$FIXTURE_IMAGE_ID"
    # registries.conf insecure does the same; --tls-verify=true overrides it
    printf '[[registry]]\nlocation = "%s"\ninsecure = true\n' "$TLS_HOST" > "$CONTAINERS_REGISTRIES_CONF"
    run_cpod pull -q "$TLS_HOST/busybox"
    run_cpod 125 pull -q --retry 0 --tls-verify=true "$TLS_HOST/busybox"
}

@test "auth: login verifies and writes auth.json 0600, pull uses it, --get-login, logout" {
    certs=$(reg_var "$AUTH" CERT_DIR)
    run_cpod 125 pull --cert-dir "$certs" "$AUTH_HOST/private/busybox"
    assert_output --partial "reading manifest latest in $AUTH_HOST/private/busybox: unauthorized: authentication required"
    run_cpod pull -q --cert-dir "$certs" --creds testuser:testpassword "$AUTH_HOST/private/busybox"
    assert_output "$FIXTURE_IMAGE_ID"
    run_cpod rmi -a

    run_cpod 125 login --cert-dir "$certs" -u testuser -p wrong "$AUTH_HOST"
    assert_output "Error: logging into \"$AUTH_HOST\": invalid username/password"
    [ ! -e "$XDG_RUNTIME_DIR/containers/auth.json" ]
    run_cpod login --cert-dir "$certs" -u testuser -p testpassword "$AUTH_HOST"
    assert_output "Login Succeeded!"
    authfile=$XDG_RUNTIME_DIR/containers/auth.json
    assert_equal "$(stat -c %a "$authfile")" 600
    assert_equal "$(jq -r ".auths[\"$AUTH_HOST\"].auth" "$authfile" | base64 -d)" testuser:testpassword
    run_cpod login --get-login "$AUTH_HOST"
    assert_output testuser
    run_cpod pull -q --cert-dir "$certs" "$AUTH_HOST/private/busybox"
    assert_output "$FIXTURE_IMAGE_ID"
    run_cpod logout "$AUTH_HOST"
    assert_output "Removed login credentials for $AUTH_HOST"
    run_cpod 125 logout "$AUTH_HOST"
    assert_output "Error: not logged into $AUTH_HOST"
    run_cpod 125 login --get-login "$AUTH_HOST"
    assert_output "Error: not logged into $AUTH_HOST"

    # --password-stdin and --authfile; REGISTRY_AUTH_FILE for pull
    af=$CPOD_TEST_DIR/my-auth.json
    run bash -c "echo testpassword | '$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' login --authfile '$af' --cert-dir '$certs' -u testuser --password-stdin $AUTH_HOST"
    assert_success
    assert_output "Login Succeeded!"
    run_cpod rmi -a
    REGISTRY_AUTH_FILE=$af run_cpod pull -q --cert-dir "$certs" "$AUTH_HOST/private/busybox"
    assert_output "$FIXTURE_IMAGE_ID"
    # docker's config.json is the last place looked at
    mkdir -p "$HOME/.docker"
    jq -n --arg a "$(printf testuser:testpassword | base64)" --arg h "https://$AUTH_HOST/v1/" \
        '{auths: {($h): {auth: $a}}}' > "$HOME/.docker/config.json"
    run_cpod rmi -a
    run_cpod pull -q --cert-dir "$certs" "$AUTH_HOST/private/busybox"
    assert_output "$FIXTURE_IMAGE_ID"
    run_cpod logout -a --authfile "$af"
    assert_output "Removed login credentials for all registries"
    assert_equal "$(jq -c .auths "$af")" "{}"
    run_cpod 125 pull --authfile /nonexistent/auth.json "$AUTH_HOST/private/busybox"
    assert_output --partial "credential file is not accessible"
}

@test "--all-tags pulls every tag; layers already stored are not downloaded again" {
    run_cpod pull -a "$PLAIN_HOST/busybox"
    assert_output --partial "Trying to pull $PLAIN_HOST/busybox:latest..."
    assert_output --partial "Trying to pull $PLAIN_HOST/busybox:second..."
    run_cpod images --format '{{.Repository}}:{{.Tag}}' --sort tag
    assert_output "$PLAIN_HOST/busybox:latest
$PLAIN_HOST/busybox:second"
    run_cpod 125 pull -a "$PLAIN_HOST/busybox:latest"
    assert_output "Error: tag can't be used with --all-tags/-a"
    # the layer of "multi" is the one we have: only manifests and the config travel
    log=$(reg_var "$PLAIN" LOG)
    layer=$(jq -r '.layers[0].digest' "$IMG/oci/blobs/sha256/${FIXTURE_IMAGE_MANIFEST_DIGEST#sha256:}")
    before=$(grep -c "GET /v2/[^ ]*/blobs/$layer" "$log")
    run_cpod pull -q "$PLAIN_HOST/multi"
    assert_equal "$(grep -c "GET /v2/[^ ]*/blobs/$layer" "$log")" "$before"
}

@test "a four-layer image is pulled with its layers in parallel, in order, verified" {
    run_cpod pull -q "$PLAIN_HOST/layered"
    id=$output
    want=$(skopeo inspect --config "oci:$BATS_FILE_TMPDIR/layered" | jq -c .rootfs.diff_ids)
    run_cpod image inspect --format '{{json .RootFS.Layers}}' "$id"
    assert_output "$want"
    mnt=$(cpod image mount "$id")
    for i in 0 1 2 3; do
        assert_equal "$(cat "$mnt/data/id-$i.txt")" "layer $i"
        assert_equal "$(stat -c %s "$mnt/data/layer-$i.bin")" $((512 << 10))
    done
    cpod image umount "$id" >/dev/null
}

@test "run/create --pull: missing, never, always, newer" {
    run_cpod 125 run --rm --pull never "$PLAIN_HOST/busybox" true
    assert_output "Error: $PLAIN_HOST/busybox: image not known"
    run_cpod run --rm --pull missing "$PLAIN_HOST/busybox" echo ok
    assert_line --index 0 "Trying to pull $PLAIN_HOST/busybox:latest..."
    assert_line ok
    run_cpod run --rm "$PLAIN_HOST/busybox" echo again
    assert_output again
    run_cpod run --rm --pull never "$PLAIN_HOST/busybox" echo never
    assert_output never
    run_cpod run --rm --pull newer "$PLAIN_HOST/busybox" echo same
    assert_output same
    run_cpod run --rm --pull always -q "$PLAIN_HOST/busybox" echo quiet
    assert_output quiet
    run_cpod create --pull always "$PLAIN_HOST/busybox" true
    assert_line --index 0 "Trying to pull $PLAIN_HOST/busybox:latest..."
    # the tag moves to another image in the registry: newer follows it
    "$REG" push "$PLAIN" "oci:$FX/variant/oci:latest" moving:latest >/dev/null 2>&1
    run_cpod pull -q "$PLAIN_HOST/moving"
    old=$output
    "$REG" push "$PLAIN" "oci:$IMG/oci:latest" moving:latest >/dev/null 2>&1
    run_cpod run --rm --pull missing "$PLAIN_HOST/moving" true
    refute_output --partial "Trying to pull"
    run_cpod run --rm --pull newer "$PLAIN_HOST/moving" true
    assert_line --index 0 "Trying to pull $PLAIN_HOST/moving:latest..."
    run_cpod image inspect --format '{{.Id}}' "$PLAIN_HOST/moving"
    assert_output "$FIXTURE_IMAGE_ID"
    [ "$old" != "$FIXTURE_IMAGE_ID" ]
    run_cpod 125 run --rm --pull sometimes "$PLAIN_HOST/busybox" true
    assert_output --partial "unsupported pull policy \"sometimes\""
}

@test "search: catalog, --limit, --list-tags, --format, errors" {
    run_cpod search "$PLAIN_HOST/"
    assert_line --index 0 --regexp '^NAME +DESCRIPTION$'
    assert_line --regexp "^$PLAIN_HOST/busybox +\$"
    assert_line --regexp "^$PLAIN_HOST/layered"
    run_cpod search --limit 1 --format '{{.Name}}' "$PLAIN_HOST/"
    assert_equal "${#lines[@]}" 1
    run_cpod search --format '{{.Index}} {{.Name}} {{.Stars}}' "$PLAIN_HOST/mul"
    assert_output "$PLAIN_HOST $PLAIN_HOST/multi 0"
    run_cpod search --format '{{.Name}}' busy
    assert_output "$PLAIN_HOST/busybox"
    run_cpod search --list-tags "$PLAIN_HOST/busybox"
    assert_output --regexp "^NAME +TAG
$PLAIN_HOST/busybox +latest
$PLAIN_HOST/busybox +second\$"
    run_cpod search --list-tags --format json "$PLAIN_HOST/busybox"
    assert_equal "$(echo "$output" | jq -c '.[0].Tags | sort')" '["latest","second"]'
    run_cpod 125 search --list-tags "$PLAIN_HOST/nope"
    assert_output --partial "name unknown"
}
