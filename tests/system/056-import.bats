#!/usr/bin/env bats
# import: rootfs tarballs (plain or compressed, file, stdin or URL) become one-layer images.

load helpers

setup() {
    cpod_setup
    load_busybox
    cd "$CPOD_TEST_DIR"
    # A rootfs tarball, as export writes it.
    "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" run --name base busybox sh -c 'echo imported > /marker'
    "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" export -o rootfs.tar base
}

teardown() {
    [ -n "${HTTP_PID:-}" ] && kill "$HTTP_PID" 2>/dev/null || true
    cpod_teardown
}

@test "import a tarball: sha256 ID on stdout, one layer, podman's config and history" {
    run_cpod import rootfs.tar imp
    [[ $output =~ ^sha256:[0-9a-f]{64}$ ]]
    id=${output#sha256:}
    run_cpod images --format '{{.Repository}}:{{.Tag}} {{.ID}}' localhost/imp
    assert_output "localhost/imp:latest ${id:0:12}"
    run_cpod image inspect imp --format '{{len .RootFS.Layers}} {{.ManifestType}} {{json .Config}}'
    assert_output '1 application/vnd.oci.image.manifest.v1+json {}'
    run_cpod history --format '{{.CreatedBy}}|{{.Comment}}' --no-trunc imp
    assert_output --regexp '^/bin/sh -c #\(nop\) ADD file:[0-9a-f]{64} in /\|imported from tarball$'
    run_cpod run --rm imp cat /marker
    assert_output imported
    # -q prints the ID too (a new one: the config records when it was made).
    run_cpod import -q rootfs.tar
    [[ $output =~ ^sha256:[0-9a-f]{64}$ ]]
}

@test "import compressed tarballs and stdin" {
    gzip -k rootfs.tar
    xz -k rootfs.tar
    bzip2 -k rootfs.tar
    run_cpod import rootfs.tar.gz gz
    run_cpod import rootfs.tar.bz2 bz
    run -0 bash -c "'$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' import - xz < rootfs.tar.xz"
    [[ $output =~ ^sha256: ]]
    for i in gz bz xz; do
        run_cpod run --rm $i cat /marker
        assert_output imported
    done
    # The same content gives the same layer whatever the compression.
    run_cpod image inspect gz --format '{{index .RootFS.Layers 0}}'
    gzlayer=$output
    run_cpod image inspect xz --format '{{index .RootFS.Layers 0}}'
    assert_output "$gzlayer"
}

@test "import --change, --message, --arch/--os/--variant" {
    run_cpod import -c 'CMD ["/bin/cat", "/marker"]' -c "ENV A=1" -c "WORKDIR /srv" -m "hello there" \
        --arch arm --variant v7 --os linux rootfs.tar opts
    run_cpod image inspect opts --format '{{json .Config.Cmd}}|{{json .Config.Env}}|{{.Config.WorkingDir}}|{{.Architecture}}|{{.Os}}'
    assert_output '["/bin/cat","/marker"]|["A=1"]|/srv|arm|linux'
    run_cpod history --format '{{.Comment}}' opts
    assert_output "hello there"
    run_cpod import -c 'CMD ["/bin/cat", "/marker"]' rootfs.tar runnable
    run_cpod run --rm runnable
    assert_output imported
}

@test "import from an http URL" {
    command -v python3 >/dev/null || skip "python3 needed for the test web server"
    gzip -k rootfs.tar
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    python3 -m http.server --bind 127.0.0.1 "$port" >/dev/null 2>&1 &
    HTTP_PID=$!
    for _ in $(seq 50); do
        curl -sf "http://127.0.0.1:$port/" >/dev/null && break
        sleep 0.1
    done
    run_cpod import "http://127.0.0.1:$port/rootfs.tar.gz" fromurl
    run_cpod run --rm fromurl cat /marker
    assert_output imported
    run_cpod 125 import "http://127.0.0.1:$port/missing.tar"
    assert_output --partial "HTTP status 404"
}

@test "import errors: missing file, not a tarball, bad name; hostile tarball stays in its layer" {
    run_cpod 125 import nonexist.tar
    assert_output "Error: invalid source: stat nonexist.tar: no such file or directory"
    echo "not a tarball" > bad.tar
    run_cpod 125 import bad.tar
    run_cpod 125 import rootfs.tar 'Bad:Name:x'
    run_cpod 125 import -c "BOGUS x" rootfs.tar
    assert_output 'Error: invalid change "BOGUS x" - invalid instruction BOGUS'
    # Names climbing out and links out: refused, nothing written outside.
    python3 - <<'EOF'
import io, tarfile
with tarfile.open("evil.tar", "w") as t:
    ti = tarfile.TarInfo("../../../../../../tmp/cpod-import-escape"); ti.size = 1
    t.addfile(ti, io.BytesIO(b"x"))
EOF
    run_cpod 125 import evil.tar
    [ ! -e /tmp/cpod-import-escape ]
    run_cpod images --format '{{.Repository}}' --filter dangling=true
    assert_output ""
    assert_no_mounts
}
