#!/usr/bin/env bats
# A real distribution image (Debian 12 minbase from debootstrap, written by umoci and skopeo)
# loads from oci-archive and docker-archive, runs, and saves back with identical diff IDs and
# byte-identical layers.

load helpers

setup_file() {
    export DEBFX=${BATS_RUN_TMPDIR:-/var/tmp}/cpod-debian-fx
    [ -f "$DEBFX/debian-docker.tar" ] || "$BATS_TEST_DIRNAME/../fixtures/build-debian-image.sh" "$DEBFX"
}

@test "debian minbase: oci-archive and docker-archive load to the same image, which runs" {
    run_cpod load -i "$DEBFX/debian-oci.tar"
    run_cpod load -i "$DEBFX/debian-docker.tar"
    assert_output "Loaded image: localhost/debian-minbase:bookworm"
    run_cpod images -q
    [ "${#lines[@]}" -eq 1 ]
    want=$(skopeo inspect --config "oci:$DEBFX/oci:bookworm" | jq -r .rootfs.diff_ids[0])
    run_cpod image inspect --format '{{index .RootFS.Layers 0}}' localhost/debian-minbase:bookworm
    assert_output "$want"
    run_cpod run --rm localhost/debian-minbase:bookworm sh -c '. /etc/os-release; echo $ID $VERSION_ID; dpkg -s dpkg | grep -c ^Status'
    assert_output "debian 12
1"
}

@test "debian minbase: save writes the original layer bytes back (docker-archive and oci-archive)" {
    run_cpod load -i "$DEBFX/debian-docker.tar"
    want=$(skopeo inspect --config "oci:$DEBFX/oci:bookworm" | jq -c .rootfs.diff_ids)
    run_cpod save -o "$CPOD_TEST_DIR/d.tar" localhost/debian-minbase:bookworm
    run_cpod save --format oci-archive -o "$CPOD_TEST_DIR/o.tar" localhost/debian-minbase:bookworm
    for ref in "docker-archive:$CPOD_TEST_DIR/d.tar" "oci-archive:$CPOD_TEST_DIR/o.tar"; do
        [ "$(skopeo inspect --config "$ref" | jq -c .rootfs.diff_ids)" = "$want" ]
    done
    # skopeo recomputes and checks every digest while copying.
    skopeo copy -q "docker-archive:$CPOD_TEST_DIR/d.tar" "oci:$CPOD_TEST_DIR/check:x"
    # The saved layer is the original uncompressed tar, byte for byte.
    layer=$(tar -xOf "$CPOD_TEST_DIR/d.tar" manifest.json | jq -r '.[0].Layers[0]')
    tar -xOf "$CPOD_TEST_DIR/d.tar" "$layer" | sha256sum | cut -d' ' -f1 > "$CPOD_TEST_DIR/saved.sum"
    [ "sha256:$(cat "$CPOD_TEST_DIR/saved.sum")" = "$(jq -r '.[0]' <<<"$want")" ]
}
