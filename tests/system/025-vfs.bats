#!/usr/bin/env bats
# The vfs storage driver: full copies instead of overlay mounts, same behaviour.

load helpers

vcpod() { "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" --storage-driver vfs "$@"; }

@test "vfs: load, run, containers don't see each other's writes, save round trip, clean removal" {
    fx=$(fixtures_dir)
    run vcpod load -i "$fx/busybox/busybox-docker.tar"
    assert_success
    run vcpod run --name w1 busybox sh -c 'echo one > /etc/marker; cat /etc/marker'
    assert_output one
    run vcpod run --rm busybox sh -c 'cat /etc/marker 2>/dev/null || echo absent'
    assert_output absent
    run vcpod info --format '{{.Store.GraphDriverName}}'
    assert_output vfs
    # No overlay mounts anywhere: vfs layers are plain directories.
    assert_no_mounts
    run vcpod save -o "$CPOD_TEST_DIR/v.tar" busybox
    assert_success
    [ "$(skopeo inspect --config "docker-archive:$CPOD_TEST_DIR/v.tar" | jq -c .rootfs.diff_ids)" = \
      "$(skopeo inspect --config "oci:$fx/busybox/oci" | jq -c .rootfs.diff_ids)" ]
    run vcpod rm w1
    run vcpod rmi busybox
    assert_success
    [ -z "$(ls "$CPOD_ROOT/storage/vfs")" ]
}

@test "vfs: whiteouts of a later layer delete files of the lower copy" {
    mkdir -p "$CPOD_TEST_DIR/l1/etc" "$CPOD_TEST_DIR/l2/etc"
    echo keep > "$CPOD_TEST_DIR/l1/etc/keep"
    echo gone > "$CPOD_TEST_DIR/l1/etc/gone"
    : > "$CPOD_TEST_DIR/l2/etc/.wh.gone"
    tar -C "$CPOD_TEST_DIR/l1" -cf "$CPOD_TEST_DIR/l1.tar" etc
    tar -C "$CPOD_TEST_DIR/l2" -cf "$CPOD_TEST_DIR/l2.tar" etc
    python3 - "$CPOD_TEST_DIR" <<'PY'
import hashlib, io, json, sys, tarfile
d = sys.argv[1]
layers = [open(f"{d}/l1.tar", "rb").read(), open(f"{d}/l2.tar", "rb").read()]
cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["sh"]},
                  "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]}}).encode()
with tarfile.open(f"{d}/two.tar", "w") as t:
    def add(name, data):
        ti = tarfile.TarInfo(name); ti.size = len(data); t.addfile(ti, io.BytesIO(data))
    add("l1.tar", layers[0]); add("l2.tar", layers[1]); add("c.json", cfg)
    add("manifest.json", json.dumps([{"Config": "c.json", "RepoTags": ["localhost/two:latest"], "Layers": ["l1.tar", "l2.tar"]}]).encode())
PY
    run vcpod load -i "$CPOD_TEST_DIR/two.tar"
    assert_success
    run vcpod image mount localhost/two
    mp=$output
    [ -f "$mp/etc/keep" ] && [ ! -e "$mp/etc/gone" ] && [ ! -e "$mp/etc/.wh.gone" ]
    vcpod image unmount localhost/two
}
