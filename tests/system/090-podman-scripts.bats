#!/usr/bin/env bats
# Everyday podman scripts (podman-scripts/*.sh: the tutorial workflows, adapted to the offline
# image) run with cpod invoked as `podman`; each must print exactly what podman 4.3.1 printed on
# this kind of host (podman-scripts/*.out, recorded from podman by podman-scripts/record.sh) and
# end with the same status.  The scripts print what scripts parse: names, states, exit codes,
# template fields; never IDs or times.

load helpers

setup() {
    cpod_setup
    load_busybox
    SCRIPTS=$BATS_TEST_DIRNAME/podman-scripts
}

run_script() {
    run --separate-stderr "$SCRIPTS/run.sh" "$CPOD_BIN" "$CPOD_ROOT" "$CPOD_RUNROOT" "$SCRIPTS/$1.sh"
    if [ "$status" -ne 0 ] || [ "$output" != "$(cat "$SCRIPTS/$1.out")" ]; then
        echo "# status $status; stderr:" >&2
        echo "$stderr" >&2
        diff <(echo "$output") "$SCRIPTS/$1.out" >&2 || true
        return 1
    fi
}

@test "podman script: first container (run, ps, inspect, logs, exec, stop, rm)" {
    run_script 01-first-container
}

@test "podman script: exit codes of containers and of podman" {
    run_script 02-exit-codes
}

@test "podman script: images (tag, save, rmi, load, history, json)" {
    run_script 03-images
}

@test "podman script: a pod of two containers" {
    run_script 04-pods
}

@test "podman script: cp and commit an image by hand" {
    run_script 05-cp-commit
}

@test "podman script: cidfile, quiet IDs through xargs, label filters, wait" {
    run_script 06-scripting-idioms
}

@test "podman script: inspect fields, bind mounts and tmpfs" {
    run_script 07-inspect-and-mounts
}

@test "podman script: signals, pause, restart, stop" {
    run_script 08-signals-restart
}

@test "podman script: a user network, a published port, names, network commands" {
    run_script 09-networking
}
