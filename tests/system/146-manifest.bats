#!/usr/bin/env bats
# manifest create/add/annotate/inspect/remove/rm/exists in a private store, and manifest push to a
# real docker-registry on 127.0.0.1: skopeo reads the pushed list, and cpod pulls each platform of
# it into a second store.  The registry lives for the file and is stopped by PID in teardown_file.

load helpers

REG=$BATS_TEST_DIRNAME/../fixtures/registry.sh

setup_file() {
    local t
    for t in skopeo docker-registry jq; do
        command -v "$t" >/dev/null || skip "$t not installed"
    done
    export FX ARM=$BATS_FILE_TMPDIR/arm
    FX=$(fixtures_dir)
    # a second image whose configuration says arm64 (its binary is the host's: it is only pulled)
    "$BATS_TEST_DIRNAME/../fixtures/build-busybox-image.sh" "$ARM" --arch arm64 --tag localhost/bb-arm64:latest \
        >/dev/null
    export PLAIN=$BATS_FILE_TMPDIR/plain
    "$REG" start --mode plain "$PLAIN" 2>/dev/null
    export H
    H=$( (eval "$("$REG" env "$PLAIN")" && echo "$FIXTURE_REGISTRY_HOST"))
}

teardown_file() {
    [ -n "${PLAIN:-}" ] && [ -d "$PLAIN" ] && "$REG" stop "$PLAIN"
}

setup() {
    cpod_setup
    export HOME=$CPOD_TEST_DIR/home
    export CONTAINERS_REGISTRIES_CONF=$CPOD_TEST_DIR/registries.conf
    export CONTAINERS_REGISTRIES_CONF_DIR=$CPOD_TEST_DIR/registries.conf.d
    mkdir -p "$HOME" "$CONTAINERS_REGISTRIES_CONF_DIR"
    printf '[[registry]]\nlocation = "%s"\ninsecure = true\n' "$H" >"$CONTAINERS_REGISTRIES_CONF"
    load_busybox
    cpod load -q -i "$ARM/busybox-docker.tar" >/dev/null
    ROOT2=$CPOD_TEST_DIR/root2 RUNROOT2=$CPOD_TEST_DIR/runroot2
}

teardown() {
    if [ -n "${ROOT2:-}" ] && [ -d "$ROOT2" ]; then
        "$CPOD_BIN" --root "$ROOT2" --runroot "$RUNROOT2" rm -af -t 0 >/dev/null 2>&1 || true
    fi
    cpod_teardown
}

cpod2() { "$CPOD_BIN" --root "$ROOT2" --runroot "$RUNROOT2" "$@"; }

# The digest of the manifest stored with a local image, as an entry of a list names it.
local_digest() {
    cpod manifest create "tmp-$1" >/dev/null
    cpod manifest add "tmp-$1" "containers-storage:$1" >/dev/null
    cpod manifest inspect "tmp-$1" | jq -r '.manifests[0].digest'
    cpod manifest rm "tmp-$1" >/dev/null
}

@test "manifest create, add, inspect, annotate, remove, exists, rm in local storage" {
    run_cpod manifest create mylist
    id=$output
    [[ $id =~ ^[0-9a-f]{64}$ ]]
    run_cpod manifest inspect mylist
    assert_equal "$(jq -c . <<<"$output")" \
        '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":null}'
    assert_line --index 1 '    "schemaVersion": 2,' # podman's four-space indentation
    run_cpod manifest add mylist containers-storage:localhost/busybox
    assert_output "$id"
    run_cpod manifest add mylist localhost/bb-arm64
    run_cpod manifest inspect mylist
    assert_equal "$(jq -c '[.manifests[].platform.architecture]' <<<"$output")" '["amd64","arm64"]'
    assert_equal "$(jq -r '.manifests[0].mediaType' <<<"$output")" "application/vnd.docker.distribution.manifest.v2+json"
    d1=$(jq -r '.manifests[0].digest' <<<"$output")
    d2=$(jq -r '.manifests[1].digest' <<<"$output")
    # the entry's digest is that of the manifest stored with the image (podman's too)
    assert_equal "$d1" "$(cpod image inspect --format '{{.Digest}}' localhost/busybox)"
    # adding the same image again replaces its entry
    run_cpod manifest add mylist localhost/busybox
    run_cpod manifest inspect mylist
    assert_equal "$(jq '.manifests | length' <<<"$output")" 2
    run_cpod manifest annotate --annotation a=b --annotation c=d --arch arm --variant v7 --os-version 10 \
        --os-features x,y --features f mylist "$d2"
    assert_output "$id"
    run_cpod manifest inspect mylist
    assert_equal "$(jq -c '.manifests[1].platform' <<<"$output")" \
        '{"architecture":"arm","os":"linux","os.version":"10","os.features":["x","y"],"variant":"v7","features":["f"]}'
    assert_equal "$(jq -c '.manifests[1].annotations' <<<"$output")" '{"a":"b","c":"d"}'
    # annotate by the local image's name
    run_cpod manifest annotate --os-version 11 mylist localhost/busybox
    run_cpod manifest inspect mylist
    assert_equal "$(jq -r '.manifests[0].platform["os.version"]' <<<"$output")" "11"
    run_cpod manifest remove mylist "$d2"
    assert_output "$id"
    run_cpod 125 manifest remove mylist "$d2"
    assert_output "Error: removing from manifest list mylist: no instance matching digest \"$d2\" found in manifest list: file does not exist"
    run_cpod manifest inspect mylist
    assert_equal "$(jq -r '[.manifests[].digest] | join(" ")' <<<"$output")" "$d1"
    run_cpod manifest exists mylist
    run_cpod 1 manifest exists localhost/busybox
    run_cpod 1 manifest exists nosuchlist
    # a list is an image of the store: images shows it, with no layers
    run_cpod images --format '{{.Repository}}:{{.Tag}} {{.Size}}' --filter reference=localhost/mylist
    assert_output "localhost/mylist:latest 0 B"
    run_cpod 125 manifest create mylist
    assert_output --partial "image name \"localhost/mylist:latest\" is already associated with image \"$id\""
    run_cpod manifest create --amend mylist localhost/bb-arm64
    assert_output "$id"
    run_cpod 125 manifest add localhost/busybox localhost/bb-arm64
    assert_output "Error: localhost/busybox: image is not a manifest list"
    run_cpod 125 manifest rm localhost/busybox
    assert_output "Error: localhost/busybox: image is not a manifest list"
    run_cpod manifest rm mylist
    assert_output "Untagged: localhost/mylist:latest
Deleted: $id"
    run_cpod 1 manifest exists mylist
    # the instances are still there
    run_cpod image exists localhost/busybox
    run_cpod image exists localhost/bb-arm64
}

@test "manifest push --all: skopeo reads the list, cpod pulls each platform from it and runs the image" {
    run_cpod manifest create multi containers-storage:localhost/busybox containers-storage:localhost/bb-arm64
    run_cpod manifest push --digestfile "$CPOD_TEST_DIR/digest" multi "docker://$H/multi:1"
    assert_line --index 0 "Copying 2 of 2 images in list"
    assert_line "Writing manifest list to image destination"
    raw=$(skopeo inspect --raw --tls-verify=false "docker://$H/multi:1")
    assert_equal "sha256:$(printf '%s' "$raw" | sha256sum | cut -d' ' -f1)" "$(cat "$CPOD_TEST_DIR/digest")"
    assert_equal "$(jq -r .mediaType <<<"$raw")" "application/vnd.docker.distribution.manifest.list.v2+json"
    assert_equal "$(jq -c '[.manifests[].platform.architecture]' <<<"$raw")" '["amd64","arm64"]'
    # each entry names what the registry holds under that digest
    for i in 0 1; do
        d=$(jq -r ".manifests[$i].digest" <<<"$raw")
        m=$(skopeo inspect --raw --tls-verify=false "docker://$H/multi@$d")
        assert_equal "$(printf '%s' "$m" | wc -c)" "$(jq -r ".manifests[$i].size" <<<"$raw")"
    done
    amd=$(cpod image inspect --format '{{.Id}}' localhost/busybox)
    arm=$(cpod image inspect --format '{{.Id}}' localhost/bb-arm64)
    run cpod2 pull -q --arch arm64 "$H/multi:1"
    assert_success
    assert_output "$arm"
    run cpod2 pull -q --platform linux/amd64 "$H/multi:1"
    assert_success
    assert_output "$amd"
    run cpod2 run --rm --network none "$H/multi:1" echo from-the-list
    assert_output "from-the-list"
    # the local list is unchanged by the push
    run_cpod manifest inspect multi
    assert_equal "$(jq -r '.manifests[0].digest' <<<"$output")" "$(local_digest localhost/busybox)"
}

@test "manifest push --format oci --rm; a registry list added with --all is copied to another repository" {
    run_cpod manifest create idx containers-storage:localhost/busybox containers-storage:localhost/bb-arm64
    run_cpod manifest push -q --format oci --rm idx "$H/idx:1"
    assert_output ""
    raw=$(skopeo inspect --raw --tls-verify=false "docker://$H/idx:1")
    assert_equal "$(jq -r .mediaType <<<"$raw")" "application/vnd.oci.image.index.v1+json"
    assert_equal "$(jq -r '[.manifests[].mediaType] | unique | .[]' <<<"$raw")" \
        "application/vnd.oci.image.manifest.v1+json"
    run_cpod 1 manifest exists idx
    # inspect of a name the store has no list for reads the registry
    run_cpod manifest inspect "$H/idx:1"
    assert_equal "$(jq -c . <<<"$output")" "$(jq -c . <<<"$raw")"
    # a list from the registry, all instances, copied by cross-repository mounts
    run_cpod manifest create --all copy "docker://$H/idx:1"
    run_cpod manifest inspect copy
    assert_equal "$(jq -c '[.manifests[].digest]' <<<"$output")" "$(jq -c '[.manifests[].digest]' <<<"$raw")"
    mounts=$(grep -c 'mount=' "$PLAIN/registry.log" || true)
    run_cpod manifest push -q copy "$H/copied:1"
    [ "$(grep -c 'mount=' "$PLAIN/registry.log")" -gt "$mounts" ]
    copied=$(skopeo inspect --raw --tls-verify=false "docker://$H/copied:1")
    assert_equal "$(jq -c '.manifests' <<<"$copied")" "$(jq -c '.manifests' <<<"$raw")"
    run cpod2 pull -q --arch arm64 "$H/copied:1"
    assert_success
    assert_output "$(cpod image inspect --format '{{.Id}}' localhost/bb-arm64)"
    # without an instance in the store, the host's one of a registry list is added
    run_cpod manifest create one "$H/idx:1"
    run_cpod manifest inspect one
    assert_equal "$(jq -r '.manifests | length' <<<"$output")" 1
}

@test "manifest push: bad destinations, formats and lists are refused, and nothing is pushed" {
    run_cpod manifest create bad containers-storage:localhost/busybox
    run_cpod 125 manifest push bad "oci:$CPOD_TEST_DIR/layout"
    assert_output --partial "manifest lists can only be pushed to a registry"
    run_cpod 125 manifest push --format v2s1 bad "$H/bad:1"
    assert_output --partial 'unknown format "v2s1"'
    run_cpod 125 manifest push --sign-by-sigstore-private-key /x bad "$H/bad:1"
    assert_output --partial "not supported"
    run_cpod 125 manifest push nosuch "$H/bad:1"
    assert_output --partial "image not known"
    # --all=false: the registry refuses a list whose instances it does not have
    run_cpod 125 manifest push -q --all=false bad "$H/bad:1"
    assert_output --partial "writing manifest 1 to $H/bad: manifest blob unknown"
    run skopeo inspect --raw --tls-verify=false "docker://$H/bad:1"
    assert_failure
    # a list is not an image to run or save; push of a list sends it as manifest push does
    run_cpod 125 run --rm --network none bad true
    assert_output --regexp "^Error: .*is a manifest list"
    run_cpod 125 save -o "$CPOD_TEST_DIR/list.tar" bad
    assert_output --regexp "^Error: .*is a manifest list"
    [ ! -e "$CPOD_TEST_DIR/list.tar" ]
    run_cpod push -q bad "$H/via-push:1"
    run skopeo inspect --raw --tls-verify=false "docker://$H/via-push:1"
    assert_success
    assert_equal "$(jq -r .mediaType <<<"$output")" "application/vnd.docker.distribution.manifest.list.v2+json"
}

@test "manifest push --sign-by signs the list and its images; a signedBy policy pulls from it" {
    command -v gpg >/dev/null || skip "gpg not installed"
    local w=$CPOD_TEST_DIR/sig
    mkdir -p "$w/gnupg" "$w/regd" "$w/sigs" "$HOME/.config/containers"
    chmod 700 "$w/gnupg"
    export GNUPGHOME=$w/gnupg
    gpg --batch --passphrase '' --quick-gen-key "cpod list <list@example.com>" default default never 2>/dev/null
    gpg --armor --export list@example.com >"$w/key.gpg"
    printf 'docker:\n  %s:\n    lookaside: file://%s\n' "$H" "$w/sigs" >"$w/regd/local.yaml"
    ln -s "$w/regd" "$HOME/.config/containers/registries.d"
    echo "{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"docker\": {\"$H\":
        [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"$w/key.gpg\"}]}}}" >"$w/policy.json"
    run_cpod manifest create signed containers-storage:localhost/busybox containers-storage:localhost/bb-arm64
    run_cpod manifest push -q --sign-by list@example.com --digestfile "$w/digest" signed "$H/signed-list:1"
    digest=$(cat "$w/digest")
    [ -f "$w/sigs/signed-list@sha256=${digest#sha256:}/signature-1" ]
    raw=$(skopeo inspect --raw --tls-verify=false "docker://$H/signed-list:1")
    for d in $(jq -r '.manifests[].digest' <<<"$raw"); do
        [ -f "$w/sigs/signed-list@sha256=${d#sha256:}/signature-1" ]
    done
    run cpod2 pull -q --arch arm64 --signature-policy "$w/policy.json" "$H/signed-list:1"
    assert_success
    assert_output "$(cpod image inspect --format '{{.Id}}' localhost/bb-arm64)"
    gpgconf --kill gpg-agent 2>/dev/null || true
}
