#!/usr/bin/env bats
# docker cp through the REST service (GET, HEAD and PUT /containers/{id}/archive), with the real
# docker CLI and docker-py (see api-helpers.bash).  Containers run with --network none.

load helpers
load api-helpers

setup() {
    api_setup
}

teardown() {
    api_teardown
}

@test "docker cp both ways: trees, symlinks, renames, stopped and running containers" {
    run_cpod create --name cp1 --network none busybox sleep 100
    local d=$CPOD_TEST_DIR/cpsrc
    mkdir -p "$d/up/sub"
    echo hello >"$d/up/sub/f.txt"
    ln -s f.txt "$d/up/sub/l"
    run timeout 60 docker cp "$d/up" cp1:/tmp/
    assert_success
    run timeout 60 docker cp "$d/up/sub/f.txt" cp1:/tmp/renamed.txt
    assert_success
    run timeout 60 docker cp cp1:/tmp/up "$CPOD_TEST_DIR/got"
    assert_success
    run cat "$CPOD_TEST_DIR/got/sub/f.txt"
    assert_output hello
    run readlink "$CPOD_TEST_DIR/got/sub/l"
    assert_output f.txt
    run_cpod start cp1
    run_cpod exec cp1 cat /tmp/renamed.txt
    assert_output hello
    # A running container: what its process writes is there to copy.
    run_cpod exec cp1 sh -c 'echo from-ctr >/tmp/made'
    run sh -c "timeout 60 docker cp cp1:/tmp/made - | tar -xOf -"
    assert_output from-ctr
    run timeout 60 docker cp cp1:/nonexistent "$CPOD_TEST_DIR/x"
    assert_failure
    assert_output --partial "could not be found"
    run_cpod rm -f -t 0 cp1
}

@test "archive: HEAD gives the path's stat; paths never leave the container's root" {
    run_cpod run -d --name cp1 --network none busybox sleep 100
    run_cpod exec cp1 sh -c 'mkdir /d; ln -s ../../../../../../../etc/os-release /d/esc'
    run_cpod exec cp1 ln -s "../../../../../../..$CPOD_TEST_DIR/hostdir" /d/escdir
    mkdir "$CPOD_TEST_DIR/hostdir"
    run sh -c "curl -sf -I --unix-socket '$SOCK' 'http://d/containers/cp1/archive?path=/d' |
        sed -n 's/^X-Docker-Container-Path-Stat: *//ip' | tr -d '\r' | base64 -d"
    assert_success
    assert_output --regexp '^\{"name":"d","size":[0-9]+,"mode":2147484141,"mtime":"[0-9T:-]+Z","linkTarget":""\}$'
    # The symlink resolves inside the container, where there is no such file.
    run curl -s -w ' %{http_code}' --unix-socket "$SOCK" 'http://d/containers/cp1/archive?path=/d/esc'
    assert_output --partial " 404"
    run timeout 60 docker cp /etc/hostname cp1:/d/escdir/
    assert_failure
    tar -C /etc -cf "$CPOD_TEST_DIR/h.tar" hostname
    run curl -s -w ' %{http_code}' -X PUT --unix-socket "$SOCK" --data-binary @"$CPOD_TEST_DIR/h.tar" \
        'http://d/containers/cp1/archive?path=/d/escdir'
    assert_output --partial " 404"
    run ls -A "$CPOD_TEST_DIR/hostdir"
    assert_output ""
    # Not a tar; no path; not a directory.
    run curl -s -w ' %{http_code}' -X PUT --unix-socket "$SOCK" --data-binary 'not a tar' \
        'http://d/containers/cp1/archive?path=/tmp'
    assert_output --partial " 400"
    run curl -s -w ' %{http_code}' -X PUT --unix-socket "$SOCK" --data-binary @"$CPOD_TEST_DIR/h.tar" \
        'http://d/containers/cp1/archive'
    assert_output --partial " 400"
    run curl -s -w ' %{http_code}' -X PUT --unix-socket "$SOCK" --data-binary @"$CPOD_TEST_DIR/h.tar" \
        'http://d/containers/cp1/archive?path=/etc/passwd'
    assert_output --partial "must be a directory"
    run_cpod rm -f -t 0 cp1
}

@test "archive: docker-py put_archive and get_archive, a body larger than the JSON limit" {
    /usr/bin/python3 -c "import docker" 2>/dev/null || skip "no python3-docker"
    run_cpod run -d --name cp1 --network none busybox sleep 100
    run timeout 120 /usr/bin/python3 - <<'PY'
import docker, io, os, tarfile
c = docker.DockerClient(base_url="unix://" + os.environ["DOCKER_HOST"][7:])
ctr = c.containers.get("cp1")
data = os.urandom(3 * 1024 * 1024)
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w") as t:
    info = tarfile.TarInfo("big.bin")
    info.size = len(data)
    t.addfile(info, io.BytesIO(data))
print(ctr.put_archive("/tmp", buf.getvalue()))
stream, stat = ctr.get_archive("/tmp/big.bin")
got = io.BytesIO(b"".join(stream))
with tarfile.open(fileobj=got) as t:
    print(t.extractfile("big.bin").read() == data, stat["name"], stat["size"] == len(data))
PY
    assert_success
    assert_output "True
True big.bin True"
    run_cpod rm -f -t 0 cp1
}
