#!/usr/bin/env bats
# Pulling from a misbehaving registry (tests/fixtures/bad-registry.py on
# 127.0.0.1): every fault gives one clear error line naming the image, exit
# code 125, and leaves the store as it was.  Also the Bearer token flow,
# retries, and credentials not following a redirect to another origin.

load helpers

BAD=$BATS_TEST_DIRNAME/../fixtures/bad-registry.py

setup_file() {
    command -v python3 >/dev/null || skip "python3 not installed"
    command -v zstd >/dev/null || skip "zstd not installed"
    export FX
    FX=$(fixtures_dir)
    export BADDIR=$BATS_FILE_TMPDIR/bad
    mkdir -p "$BADDIR"
    python3 "$BAD" "$FX/busybox/oci" "$BADDIR" </dev/null >"$BADDIR/server.log" 2>&1 3>&- &
    echo $! > "$BADDIR/pid"
    for _ in $(seq 1 100); do
        [ -s "$BADDIR/port" ] && break
        sleep 0.05
    done
    [ -s "$BADDIR/port" ] || { cat "$BADDIR/server.log" >&2; return 1; }
    export BAD_HOST=127.0.0.1:$(cat "$BADDIR/port")
}

teardown_file() {
    local pid
    pid=$(cat "$BADDIR/pid" 2>/dev/null) || return 0
    # only our server: its command line names this state directory
    if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$BADDIR"; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    fi
}

setup() {
    cpod_setup
    # shellcheck disable=SC1091
    source "$FX/busybox/image.env"
    export HOME=$CPOD_TEST_DIR/home XDG_RUNTIME_DIR=$CPOD_TEST_DIR/xdg
    export CONTAINERS_REGISTRIES_CONF=$CPOD_TEST_DIR/registries.conf
    export CONTAINERS_REGISTRIES_CONF_DIR=$CPOD_TEST_DIR/registries.conf.d
    export CPOD_CERTS_D=$CPOD_TEST_DIR/certs.d CPOD_REGISTRY_STALL_TIMEOUT=2
    mkdir -p "$HOME" "$XDG_RUNTIME_DIR" "$CONTAINERS_REGISTRIES_CONF_DIR" "$CPOD_CERTS_D"
    printf '[[registry]]\nlocation = "%s"\ninsecure = true\n' "$BAD_HOST" > "$CONTAINERS_REGISTRIES_CONF"
}

assert_store_empty() {
    run_cpod images -q
    assert_output ""
    [ -z "$(ls "$CPOD_ROOT/storage/overlay" 2>/dev/null | grep -v '^l$')" ]
    [ -z "$(ls "$CPOD_ROOT/storage/overlay/l" 2>/dev/null)" ]
    [ -z "$(ls "$CPOD_ROOT/storage/tmp" 2>/dev/null)" ]
}

# pull_fails REPO REGEX: one "Error: ..." line naming the image and matching REGEX; nothing stored.
pull_fails() {
    run_cpod 125 pull -q --retry 0 "$BAD_HOST/$1"
    assert_equal "${#lines[@]}" 1
    assert_output --regexp "^Error: .*$BAD_HOST/$1"
    assert_output --regexp "$2"
    assert_store_empty
}

@test "sanity: the bad registry serves a good image" {
    run_cpod pull -q "$BAD_HOST/good"
    assert_output "$FIXTURE_IMAGE_ID"
}

@test "a corrupted layer among layers pulled in parallel" {
    run_cpod 125 pull -q --retry 0 "$BAD_HOST/parallel-bad"
    assert_equal "${#lines[@]}" 1
    assert_output --regexp "^Error: .*$BAD_HOST/parallel-bad.*layer sha256:[0-9a-f]{64}: (layer digest mismatch|invalid gzip data)"
    # the verified layers below the bad one go too: a failed pull leaves the store as it was
    assert_store_empty
}

@test "a pull failing at its second layer leaves the store as it was, in parallel and in sequence" {
    pull_fails second-truncated "unexpected end of data after [0-9]+ of [0-9]+ bytes"
    pull_fails second-diffid "layer diff ID mismatch: expected sha256:cdcd"
    CPOD_SEQUENTIAL_LAYERS=1 pull_fails second-truncated "unexpected end of data"
    CPOD_SEQUENTIAL_LAYERS=1 pull_fails second-diffid "layer diff ID mismatch"
    # a layer another image uses stays: the good image first, then the failing one on top of its layer
    run_cpod pull -q "$BAD_HOST/good"
    before=$(ls "$CPOD_ROOT/storage/overlay" | grep -vc '^l$')
    run_cpod 125 pull -q --retry 0 "$BAD_HOST/second-diffid"
    [ "$(ls "$CPOD_ROOT/storage/overlay" | grep -vc '^l$')" -eq "$before" ]
    run_cpod images -q
    assert_output "${FIXTURE_IMAGE_ID:0:12}"
}

@test "layer digest mismatch" {
    pull_fails digest-mismatch "layer digest mismatch: expected sha256:[0-9a-f]{64}, got sha256:[0-9a-f]{64}"
}

@test "diff ID mismatch" {
    pull_fails diffid-mismatch "layer diff ID mismatch: expected sha256:abab"
}

@test "truncated blob (the server ends early)" {
    pull_fails truncated "unexpected end of data after [0-9]+ of [0-9]+ bytes"
}

@test "server closes the connection mid-blob" {
    pull_fails close-mid "after [0-9]+ of [0-9]+ bytes"
}

@test "server hangs mid-blob, and before answering a manifest" {
    SECONDS=0
    pull_fails hang-blob "timed out: no data received for 2 seconds"
    pull_fails hang-manifest "timed out: no data received for 2 seconds"
    [ "$SECONDS" -lt 20 ]
}

@test "wrong media types: a layer, and a manifest served as text/html" {
    pull_fails bad-layer-type 'unsupported layer media type "application/x-bogus"'
    pull_fails bad-content-type 'unsupported manifest media type "text/html"'
}

@test "manifest list without a matching platform" {
    pull_fails no-platform "no image found in manifest list for architecture .* \\(available: linux/s390x\\)"
}

@test "oversized manifest" {
    pull_fails oversized "manifest larger than 4194304 bytes"
}

@test "decompression bombs are bounded" {
    # zstd: 300 MiB of zeros in ~10 KiB: beyond max(256 MiB, 1100 x compressed size)
    pull_fails zstd-bomb "layer is larger than the maximum of 268435456 bytes"
    # gzip cannot exceed ~1032:1, so its bound is the absolute one (here lowered)
    CPOD_LAYER_MAX_SIZE=$((32 << 20)) pull_fails gzip-bomb "layer is larger than the maximum of 33554432 bytes"
}

@test "registry errors: 404 blob, 403, 429 name the registry and image" {
    pull_fails missing-blob "blob unknown: blob unknown to registry"
    pull_fails denied "denied: requested access to the resource is denied"
    pull_fails ratelimit "toomanyrequests: slow down"
}

@test "5xx answers are retried with --retry/--retry-delay" {
    # the server fails the first two manifest requests of its life
    run_cpod 125 pull -q --retry 1 --retry-delay 50ms "$BAD_HOST/flaky"
    assert_output --partial "unavailable: try again"
    run_cpod pull -q --retry 3 --retry-delay 50ms "$BAD_HOST/flaky"
    assert_output "$FIXTURE_IMAGE_ID"
    run_cpod 125 pull --retry-delay 2x "$BAD_HOST/flaky"
    assert_output 'Error: time: invalid duration "2x"'
}

@test "Bearer token flow: anonymous and with credentials; wrong credentials refused" {
    run_cpod pull -q "$BAD_HOST/token/busybox"
    assert_output "$FIXTURE_IMAGE_ID"
    grep -q "GET /v2/token/busybox/manifests/latest auth=Bearer tok-repository:token/busybox:pull" "$BADDIR/requests.log"
    run_cpod rmi -a
    run_cpod pull -q --creds testuser:testpassword "$BAD_HOST/token/busybox"
    run_cpod 125 pull -q --retry 0 --creds testuser:wrong "$BAD_HOST/token/busybox"
    assert_output --partial "unable to retrieve auth token: invalid username/password"
}

@test "blobs redirected to another origin: followed, without the Authorization header" {
    run_cpod pull -q --creds testuser:testpassword "$BAD_HOST/token-redirect/busybox"
    assert_output "$FIXTURE_IMAGE_ID"
    run grep "^storage GET" "$BADDIR/requests.log"
    assert_success
    refute_output --partial "auth=Bearer"
    refute_output --partial "auth=Basic"
    assert_output --partial "auth=-"
}
