# The REST service (cpod system service) for the API tests: started per test on a private unix
# socket, stopped by its PID; under ASan its sanitizer report fails the test.  DOCKER_HOST points
# the docker CLI and docker-py at it.

api_setup() {
    command -v docker >/dev/null || skip "no docker client (scripts/install-deps installs docker.io)"
    cpod_setup
    load_busybox
    SOCK=$CPOD_TEST_DIR/api/cpod.sock
    export DOCKER_HOST=unix://$SOCK
    "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" system service --time 0 "unix://$SOCK" \
        >"$CPOD_TEST_DIR/service.log" 2>&1 3>&- &
    SERVICE_PID=$!
    for _ in $(seq 100); do [ -S "$SOCK" ] && break; sleep 0.05; done
    [ -S "$SOCK" ]
}

api_teardown() {
    if [ -n "${SERVICE_PID:-}" ]; then
        kill "$SERVICE_PID" 2>/dev/null || true
        # Gone or a zombie (kill -0 succeeds on a zombie): under ASan the exit-time leak check takes
        # a while, and a kill -9 in the middle of it cuts it short.
        local st
        for _ in $(seq 300); do
            st=$(awk '{ print $3 }' "/proc/$SERVICE_PID/stat" 2>/dev/null)
            [ -z "$st" ] || [ "$st" = Z ] && break
            sleep 0.1
        done
        kill -9 "$SERVICE_PID" 2>/dev/null || true
        wait "$SERVICE_PID" 2>/dev/null || true
    fi
    # Under ASan the service reports its errors and leaks at exit, into its log.
    local log=${CPOD_TEST_DIR:-/nonexistent}/service.log
    if [ -f "$log" ] && grep -q "Sanitizer" "$log"; then
        cat "$log" >&2
        cpod_teardown
        return 1
    fi
    cpod_teardown
}

ping() { # the service answers _ping with its API version
    curl -sf --max-time 5 --unix-socket "$SOCK" -D - http://d/_ping
}
