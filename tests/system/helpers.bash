# Shared helpers for cpod's bats system tests.
bats_require_minimum_version 1.5.0
#
# Every test gets a private --root/--runroot under $CPOD_TEST_DIR and
# teardown removes what the test left: containers (through cpod itself),
# then any mount still under the test dir, then processes whose pid files
# live there (by PID, never by name), then the directory.

CPOD_BUILD_DIR=${CPOD_BUILD_DIR:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)/build}
CPOD_BIN=${CPOD_BIN:-$CPOD_BUILD_DIR/cpod}
FIXTURES=$(cd "$BATS_TEST_DIRNAME/../fixtures" && pwd)

bats_load_library bats-support 2>/dev/null || load /usr/lib/bats/bats-support/load
bats_load_library bats-assert 2>/dev/null || load /usr/lib/bats/bats-assert/load

# Networks go down with their last container (no lingering anchor: see lib/net/net-anchor.c), so
# a test sees the host as it was right after its containers are gone.
export CPOD_NETWORK_LINGER=0

cpod_setup() {
    CPOD_TEST_DIR=$(mktemp -d /var/tmp/cpod-test.XXXXXX)
    export CPOD_TEST_DIR
    CPOD_ROOT=$CPOD_TEST_DIR/root
    CPOD_RUNROOT=$CPOD_TEST_DIR/runroot
    export CPOD_ROOT CPOD_RUNROOT
}

# Unmount everything below a directory, deepest first.
unmount_below() {
    local dir=$1 m
    while read -r m; do
        umount -l "$m" 2>/dev/null || true
    done < <(awk -v d="$dir" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
}

# Kill processes whose pid files (conmon, containers) are under a directory.
kill_pidfiles_below() {
    local dir=$1 f pid
    while read -r f; do
        pid=$(cat "$f" 2>/dev/null) || continue
        [[ $pid =~ ^[0-9]+$ ]] || continue
        kill -9 "$pid" 2>/dev/null || true
    done < <(find "$dir" -name '*.pid' -o -name 'pidfile' -o -name 'conmon.pid' 2>/dev/null)
}

cpod_teardown() {
    [ -n "${CPOD_TEST_DIR:-}" ] && [ -d "$CPOD_TEST_DIR" ] || return 0
    if [ -x "$CPOD_BIN" ] && [ -d "$CPOD_ROOT" ]; then
        timeout 60 "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" pod rm -af -t 0 >/dev/null 2>&1 || true
        timeout 60 "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" rm -af -t 0 >/dev/null 2>&1 || true
    fi
    kill_pidfiles_below "$CPOD_TEST_DIR"
    unmount_below "$CPOD_TEST_DIR"
    rm -rf "$CPOD_TEST_DIR"
}

# A private HOME whose registries.d is REGD, and a registries.conf that makes HOST insecure (plain
# HTTP): how the signature tests reach their registry and signature storage.
use_test_registry() { # HOST REGD
    export HOME=$CPOD_TEST_DIR/home
    mkdir -p "$HOME/.config/containers"
    ln -s "$2" "$HOME/.config/containers/registries.d"
    export CONTAINERS_REGISTRIES_CONF=$CPOD_TEST_DIR/registries.conf
    export CONTAINERS_REGISTRIES_CONF_DIR=$CPOD_TEST_DIR/registries.conf.d
    mkdir -p "$CONTAINERS_REGISTRIES_CONF_DIR"
    printf '[[registry]]\nlocation = "%s"\ninsecure = true\n' "$1" >"$CONTAINERS_REGISTRIES_CONF"
}

setup() { cpod_setup; }
teardown() { cpod_teardown; }

# cpod with the test's private root and runroot.
cpod() {
    "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" "$@"
}

# run_cpod [EXPECTED_STATUS] ARGS...: run cpod, keep $output/$status, and
# fail unless the exit status is the expected one (default 0).
run_cpod() {
    local expect=0
    if [[ $1 =~ ^[0-9]+$ ]]; then
        expect=$1
        shift
    fi
    echo "# cpod $*" >&3 2>/dev/null || true
    # "run -N" tells bats the status is expected (no BW01 warning for 127).
    run "-$expect" "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" "$@" || true
    echo "$output"
    if [ "$status" -ne "$expect" ]; then
        echo "# exit status $status, expected $expect" >&2
        return 1
    fi
}

# Offline busybox fixtures, built once per bats run (shared by all files).
fixtures_dir() {
    local dir=${BATS_RUN_TMPDIR:-/var/tmp}/cpod-fixtures
    (
        flock 9
        if [ ! -f "$dir/.done" ]; then
            rm -rf "$dir"
            "$FIXTURES/build-busybox-image.sh" "$dir/busybox" >/dev/null
            "$FIXTURES/build-busybox-image.sh" "$dir/variant" --variant two --tag localhost/busybox2:latest >/dev/null
            touch "$dir/.done"
        fi
    ) 9>"${dir}.lock"
    echo "$dir"
}

# Load the busybox image as localhost/busybox:latest into the test's store.
load_busybox() {
    local fx
    fx=$(fixtures_dir)
    "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" load -q -i "$fx/busybox/busybox-docker.tar" >/dev/null
}

# Nothing of the test's store may be mounted.
assert_no_mounts() {
    run awk -v d="$CPOD_TEST_DIR" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo
    assert_output ""
}
