#!/usr/bin/env bats
# OCI hooks (oci-hooks(5)): hooks.d files matched by annotation, command, bind mounts or always;
# the runtime's stages run by runc, poststop by cpod when it records the container's end.

load helpers

setup() {
    cpod_setup
    load_busybox
    HOOKS=$CPOD_TEST_DIR/hooks.d
    MARKS=$CPOD_TEST_DIR/marks
    mkdir -p "$HOOKS" "$MARKS"
    # the hook program: records its stdin (the container state) under the name given as argument
    cat >"$CPOD_TEST_DIR/hook.sh" <<EOF
#!/bin/sh
cat >"$MARKS/\$1"
EOF
    chmod +x "$CPOD_TEST_DIR/hook.sh"
}

# hook FILE NAME-OF-MARK WHEN-JSON STAGES-JSON: a 1.0.0 hook that writes marks/NAME-STAGE per stage
hook() {
    local file=$1 mark=$2 when=$3 stage
    shift 3
    for stage in "$@"; do
        cat >"$HOOKS/$file-$stage.json" <<EOF
{"version": "1.0.0", "hook": {"path": "$CPOD_TEST_DIR/hook.sh", "args": ["hook.sh", "$mark-$stage"]},
 "when": $when, "stages": ["$stage"]}
EOF
    done
}

hcpod() {
    run_cpod --hooks-dir "$HOOKS" "$@"
}

@test "a hook matched by annotation runs at prestart and poststop with the container's state; not without it" {
    hook ann gpu '{"annotations": {"^com\\.example\\.gpu$": "^yes$"}}' prestart poststop
    hcpod run --rm busybox true
    run ls "$MARKS"
    assert_output ""
    hcpod run --rm --annotation com.example.gpu=yes --name annotated busybox true
    [ -f "$MARKS/gpu-prestart" ] && [ -f "$MARKS/gpu-poststop" ]
    run jq -r '.status, .annotations["com.example.gpu"]' "$MARKS/gpu-poststop"
    assert_output "stopped
yes"
    run jq -r .id "$MARKS/gpu-prestart"
    assert_output --regexp '^[0-9a-f]{64}$'
}

@test "hooks matched by command, by bind mounts, and always; through conmon too" {
    hook cmd by-cmd '{"commands": ["^/bin/busybox$", "^sleep$"]}' createRuntime
    hook bind by-bind '{"hasBindMounts": true}' createContainer
    hook all always '{"always": true}' poststart
    hcpod run --rm busybox /bin/busybox true
    run ls "$MARKS"
    assert_output "always-poststart
by-cmd-createRuntime"
    rm -f "$MARKS"/*
    hcpod run --rm -v "$CPOD_TEST_DIR:/mnt" busybox true
    run ls "$MARKS"
    assert_output "always-poststart
by-bind-createContainer"
    rm -f "$MARKS"/*
    CPOD_CONMON_ALWAYS=1 hcpod run --rm busybox sleep 0
    run ls "$MARKS"
    assert_output "always-poststart
by-cmd-createRuntime"
}

@test "a startContainer hook runs inside the container, its path resolved there" {
    [ -x /bin/busybox ] || skip "needs /bin/busybox on the host too (busybox-static)"
    cat >"$HOOKS/start.json" <<'EOF'
{"version": "1.0.0", "hook": {"path": "/bin/busybox", "args": ["busybox", "sh", "-c", "hostname > /marks/started"]},
 "when": {"always": true}, "stages": ["startContainer"]}
EOF
    hcpod run --rm --hostname inside -v "$MARKS:/marks" busybox true
    run cat "$MARKS/started"
    assert_output inside
}

@test "poststop runs once after an exit, after rm -f of a running container, and with --rm; in pods too" {
    hook end end '{"always": true}' poststop
    hcpod run -d --name exits busybox true
    run_cpod wait exits
    for _ in $(seq 50); do [ -f "$MARKS/end-poststop" ] && break; sleep 0.1; done
    run jq -r .status "$MARKS/end-poststop"
    assert_output stopped
    rm -f "$MARKS"/*
    run_cpod rm exits
    run ls "$MARKS"
    assert_output "" # once only
    hcpod run -d --name killed busybox sleep 1000
    run_cpod rm -f -t 0 killed
    [ -f "$MARKS/end-poststop" ]
    rm -f "$MARKS"/*
    hcpod pod create --name hp
    hcpod run --rm --pod hp busybox true
    [ -f "$MARKS/end-poststop" ]
    run_cpod pod rm -f -t 0 hp
}

@test "a broken hook file is reported and skipped; the good one next to it still runs" {
    hook good good '{"always": true}' prestart
    echo '{"version": "1.0.0", "hook": {"path": "relative"}, "stages": ["prestart"]}' >"$HOOKS/00-bad.json"
    echo '{not json' >"$HOOKS/01-garbage.json"
    hcpod run --rm busybox echo still-runs
    assert_line still-runs
    assert_output --partial "hook $HOOKS/00-bad.json is invalid and ignored: hook.path \"relative\" is not absolute"
    assert_output --partial "hook $HOOKS/01-garbage.json is invalid and ignored"
    [ -f "$MARKS/good-prestart" ]
}

@test "a failing prestart hook fails the start with its output; hooks_dir comes from containers.conf" {
    cat >"$CPOD_TEST_DIR/fail.sh" <<'EOF'
#!/bin/sh
echo "hook says no" >&2
exit 3
EOF
    chmod +x "$CPOD_TEST_DIR/fail.sh"
    mkdir "$CPOD_TEST_DIR/confhooks"
    cat >"$CPOD_TEST_DIR/confhooks/fail.json" <<EOF
{"version": "1.0.0", "hook": {"path": "$CPOD_TEST_DIR/fail.sh"}, "when": {"always": true}, "stages": ["prestart"]}
EOF
    printf '[engine]\nhooks_dir = ["%s"]\n' "$CPOD_TEST_DIR/confhooks" >"$CPOD_TEST_DIR/c.conf"
    CONTAINERS_CONF=$CPOD_TEST_DIR/c.conf run_cpod 126 run --rm busybox true
    assert_output --partial "hook says no"
    # --hooks-dir replaces the configured directories
    CONTAINERS_CONF=$CPOD_TEST_DIR/c.conf run_cpod --hooks-dir "$HOOKS" run --rm busybox echo fine
    assert_output fine
    run_cpod ps -aq
    assert_output ""
}

@test "0.1.0 hook files: any condition injects" {
    cat >"$HOOKS/old.json" <<EOF
{"hook": "$CPOD_TEST_DIR/hook.sh", "arguments": ["old"], "stage": ["prestart"],
 "cmd": ["^nomatch$"], "annotation": ["^legacy$"]}
EOF
    hcpod run --rm --annotation anything=legacy busybox true
    [ -f "$MARKS/old" ]
    rm -f "$MARKS"/*
    hcpod run --rm busybox true
    [ ! -f "$MARKS/old" ]
}
