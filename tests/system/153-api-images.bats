#!/usr/bin/env bats
# Images through the REST service: pull (POST /images/create) from a real docker-registry on
# 127.0.0.1 holding the busybox fixture pushed by skopeo, tag, history and remove, with the real
# docker CLI and docker-py (see api-helpers.bash).  The registry lives for the file and is stopped
# by PID in teardown_file.

load helpers
load api-helpers

REG=$BATS_TEST_DIRNAME/../fixtures/registry.sh

setup_file() {
    local t
    for t in skopeo docker-registry; do
        command -v "$t" >/dev/null || skip "$t not installed"
    done
    export IMG=$BATS_FILE_TMPDIR/img PLAIN=$BATS_FILE_TMPDIR/plain
    "$BATS_TEST_DIRNAME/../fixtures/build-busybox-image.sh" "$IMG" >/dev/null
    "$REG" start --mode plain "$PLAIN" 2>/dev/null
    export PLAIN_HOST
    PLAIN_HOST=$( (eval "$("$REG" env "$PLAIN")" && echo "$FIXTURE_REGISTRY_HOST"))
    "$REG" push "$PLAIN" "oci:$IMG/oci:latest" busybox:latest >/dev/null 2>&1
    "$REG" push "$PLAIN" "oci:$IMG/oci:latest" busybox:second >/dev/null 2>&1
}

teardown_file() {
    if [ -n "${PLAIN:-}" ] && [ -d "$PLAIN" ]; then
        "$REG" stop "$PLAIN"
    fi
}

setup() {
    # The service reads this test's registries.conf: the registry is plain HTTP.
    export CONTAINERS_REGISTRIES_CONF=$BATS_TEST_TMPDIR/registries.conf
    export CONTAINERS_REGISTRIES_CONF_DIR=$BATS_TEST_TMPDIR/registries.conf.d
    mkdir -p "$CONTAINERS_REGISTRIES_CONF_DIR"
    printf '[[registry]]\nlocation = "%s"\ninsecure = true\n' "$PLAIN_HOST" >"$CONTAINERS_REGISTRIES_CONF"
    api_setup
}

teardown() {
    api_teardown
}

@test "docker pull from a local registry streams progress; the image runs, is tagged, has a history, is removed" {
    # shellcheck disable=SC1091
    source "$IMG/image.env"
    run timeout 120 docker pull "$PLAIN_HOST/busybox:latest"
    assert_success
    assert_output --partial "latest: Pulling from $PLAIN_HOST/busybox"
    # The fixture's one layer is in the store already (the busybox every API test loads).
    assert_output --partial ": Already exists"
    assert_output --partial "Downloaded newer image for $PLAIN_HOST/busybox:latest"
    run_cpod image inspect --format '{{.Id}}' "$PLAIN_HOST/busybox:latest"
    assert_output "$FIXTURE_IMAGE_ID"
    run timeout 60 docker run --rm --network none "$PLAIN_HOST/busybox" echo pulled-ok
    assert_output pulled-ok
    run timeout 60 docker tag "$PLAIN_HOST/busybox" "$PLAIN_HOST/other:v2"
    assert_success
    run_cpod image inspect --format '{{.Id}}' "$PLAIN_HOST/other:v2"
    assert_output "$FIXTURE_IMAGE_ID"
    run timeout 60 docker history --format '{{.ID}}' "$PLAIN_HOST/other:v2"
    assert_success
    assert_line --index 0 "${FIXTURE_IMAGE_ID:0:12}"
    run timeout 60 docker rmi "$PLAIN_HOST/other:v2"
    assert_success
    assert_output "Untagged: $PLAIN_HOST/other:v2"
    # The same image as the fixture every API test loads: its last name goes with it.
    run timeout 60 docker rmi "$PLAIN_HOST/busybox:latest"
    assert_success
    assert_output "Untagged: $PLAIN_HOST/busybox:latest"
    run timeout 60 docker rmi localhost/busybox:latest
    assert_success
    assert_output "Untagged: localhost/busybox:latest
Deleted: sha256:$FIXTURE_IMAGE_ID"
    run_cpod images -q
    assert_output ""
    run timeout 60 docker rmi "$PLAIN_HOST/busybox:latest"
    assert_failure
    assert_output --partial "image not known"
}

@test "docker pull errors: unknown tag, unknown image; docker-py pull" {
    run timeout 120 docker pull "$PLAIN_HOST/busybox:nope"
    assert_failure
    assert_output --partial "nope"
    run timeout 120 docker pull "$PLAIN_HOST/nothing-here"
    assert_failure
    run_cpod images -q "$PLAIN_HOST/busybox"
    assert_output ""
    /usr/bin/python3 -c "import docker" 2>/dev/null || skip "no python3-docker"
    run timeout 120 /usr/bin/python3 - "$PLAIN_HOST" <<'PY'
import docker, os, sys
c = docker.DockerClient(base_url="unix://" + os.environ["DOCKER_HOST"][7:])
img = c.images.pull(sys.argv[1] + "/busybox", tag="second")
print(sys.argv[1] + "/busybox:second" in img.tags)
PY
    assert_success
    assert_output True
    # Credentials in X-Registry-Auth and import are refused, not ignored.
    auth=$(printf '{"username":"u","password":"p"}' | base64 -w0)
    run curl -s -w ' %{http_code}' -X POST --unix-socket "$SOCK" -H "X-Registry-Auth: $auth" \
        "http://d/images/create?fromImage=$PLAIN_HOST/busybox&tag=latest"
    assert_output --partial " 501"
    run curl -s -w ' %{http_code}' -X POST --unix-socket "$SOCK" "http://d/images/create?fromSrc=-"
    assert_output --partial " 501"
}
