#!/usr/bin/env bats
# Crashes, kills and concurrency: the next command always repairs, nothing leaks.

load helpers

setup() {
    cpod_setup
    load_busybox
}

conmon_pid_of() {
    cat "$CPOD_RUNROOT/containers/$(cpod inspect --format '{{.Id}}' "$1")/userdata/conmon.pid"
}

@test "kill -9 of conmon: the container is reconciled to exited and removes cleanly" {
    run_cpod run -d --name victim busybox sleep 1000
    cpid=$(conmon_pid_of victim)
    ctr=$(cpod inspect --format '{{.State.Pid}}' victim)
    kill -9 "$cpid"
    for i in $(seq 50); do [ -d "/proc/$cpid" ] || break; sleep 0.1; done
    run_cpod ps -a --format '{{.Names}} {{.State}}'
    assert_output "victim exited"
    run_cpod rm victim
    # Reconciling deleted it from the runtime, which kills the orphaned process.
    for i in $(seq 50); do [ -d "/proc/$ctr" ] || break; sleep 0.1; done
    [ ! -d "/proc/$ctr" ] || { kill -9 "$ctr"; false; }
    assert_no_mounts
}

@test "kill -9 of cpod between create and start: rm -f cleans up everything" {
    CPOD_FAILPOINTS=ctr-before-start=kill run "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" \
        run -d --name halfway busybox sleep 1000
    [ "$status" -eq 137 ]
    cpid=$(conmon_pid_of halfway)
    run_cpod ps -a --format '{{.Names}} {{.Status}}'
    assert_output "halfway Created"
    run_cpod rm -f -t 0 halfway
    for i in $(seq 50); do [ -d "/proc/$cpid" ] || break; sleep 0.1; done
    [ ! -d "/proc/$cpid" ]
    run_cpod ps -a -q
    assert_output ""
    assert_no_mounts
}

@test "kill -9 of a foreground run: the next command reconciles and removes its --rm container" {
    "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" run --rm --name fg busybox sleep 1000 &
    fg=$!
    for i in $(seq 100); do
        [ "$(cpod ps --format '{{.Names}}')" = fg ] && break
        sleep 0.1
    done
    ctr=$(cpod inspect --format '{{.State.Pid}}' fg)
    kill -9 "$fg"
    wait "$fg" || true
    # The monitor is gone but the container process may live on: stop kills it, rm clears it.
    run_cpod rm -f -t 0 fg
    [ -z "$ctr" ] || [ "$ctr" = 0 ] || for i in $(seq 50); do [ -d "/proc/$ctr" ] || break; sleep 0.1; done
    run_cpod ps -a -q
    assert_output ""
    assert_no_mounts
}

@test "a crash while removing a container is finished by the next rm" {
    run_cpod create --name rmcrash busybox true
    CPOD_FAILPOINTS=ctr-remove-mid=kill run "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" rm rmcrash
    [ "$status" -eq 137 ]
    run_cpod rm rmcrash
    run_cpod ps -a -q
    assert_output ""
    # Only the image's own layer is left.
    [ "$(ls "$CPOD_ROOT/storage/overlay" | grep -vc '^l$')" -eq 1 ]
}

@test "50 run -d in parallel, then rm -af: no leaked mount, process or record" {
    pids=()
    for i in $(seq 50); do
        "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" run -d --name "par$i" busybox sleep 1000 \
            >"$CPOD_TEST_DIR/out$i" 2>&1 &
        pids+=($!)
    done
    fails=0
    for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
    [ "$fails" -eq 0 ] || { cat "$CPOD_TEST_DIR"/out*; false; }
    run_cpod ps -q
    [ "${#lines[@]}" -eq 50 ]
    ctrpids=$(cpod ps -a --format '{{.Pid}}')
    run_cpod rm -af -t 0
    [ "${#lines[@]}" -eq 50 ]
    run_cpod ps -a -q
    assert_output ""
    for p in $ctrpids; do [ ! -d "/proc/$p" ] || { echo "process $p leaked"; false; }; done
    assert_no_mounts
    [ -z "$(ls "$CPOD_RUNROOT/containers" 2>/dev/null)" ]
}

@test "logs -f follows a running container until it exits" {
    run_cpod run -d --name talker busybox sh -c 'for i in 1 2 3; do echo line$i; sleep 0.3; done'
    run_cpod logs -f talker
    assert_output "$(printf 'line1\nline2\nline3')"
    run_cpod logs --tail 1 talker
    assert_output line3
    run_cpod logs -t talker
    assert_line --index 0 --regexp '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+[-+Z][0-9:]* line1$'
}

# Layer directories in the store (image layers and containers' read-write layers).
layer_dirs() {
    ls "$CPOD_ROOT/storage/overlay" | grep -vc '^l$'
}

# cgroup directories named after the container, in any hierarchy.
ctr_cgroups() {
    find /sys/fs/cgroup -maxdepth 5 -type d -name "cpod-$1" 2>/dev/null
}

@test "kill -9 inside create, at each point between layer and record: the next command leaves no orphan" {
    base=$(layer_dirs)
    for point in ctr-create-before-layer ctr-create-before-record ctr-create-after-record; do
        CPOD_FAILPOINTS="$point=kill" run "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" \
            create --name "k-$point" busybox true
        [ "$status" -eq 137 ]
        # the next create finishes what the killed one left
        run_cpod create --name next busybox true
        run_cpod rm next
        n=$(cpod ps -aq | wc -l)
        [ "$(layer_dirs)" -eq $((base + n)) ] || { echo "after $point: $(layer_dirs) layers, $n containers"; false; }
    done
    # killed after its record was committed, that container is whole: it stays, with its layer
    run_cpod ps -a --format '{{.Names}}'
    assert_output "k-ctr-create-after-record"
    run_cpod rm k-ctr-create-after-record
    [ "$(layer_dirs)" -eq "$base" ]
    [ -z "$(ls -A "$CPOD_ROOT/containers/.creating")" ]
    # system prune finds them too
    CPOD_FAILPOINTS="ctr-create-before-record=kill" run "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" \
        create busybox true
    [ "$(layer_dirs)" -eq $((base + 1)) ]
    run_cpod system prune -f
    [ "$(layer_dirs)" -eq "$base" ]
    assert_no_mounts
}

@test "after a simulated reboot (runroot wiped, processes gone) the next command removes the container's cgroup" {
    # --network none: a real reboot also clears the host side of a network, which a test cannot fake
    run_cpod run -d --name rebooted --network none busybox sleep 1000
    id=$output
    [ -n "$(ctr_cgroups "$id")" ]
    cpid=$(cpod inspect --format '{{.State.Pid}}' rebooted)
    mpid=$(cat "$CPOD_RUNROOT/containers/$id/userdata/conmon.pid")
    kill -9 "$mpid" "$cpid"
    for i in $(seq 50); do [ -d "/proc/$cpid" ] || [ -d "/proc/$mpid" ] || break; sleep 0.1; done
    umount "$CPOD_ROOT/storage/overlay/"*/merged 2>/dev/null || true
    rm -rf "${CPOD_RUNROOT:?}"/*
    run_cpod stop rebooted
    run_cpod inspect --format '{{.State.Status}}' rebooted
    assert_output exited
    run ctr_cgroups "$id"
    assert_output ""
    run_cpod rm rebooted
}

@test "kill -9 of run -d at random moments, many times: store, mounts, cgroups and processes match the records" {
    base=$(layer_dirs)
    seen=()
    for i in $(seq 20); do
        "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" run -d --name "r$i" busybox sleep 1000 \
            >/dev/null 2>&1 &
        pid=$!
        sleep "0.$(printf '%03d' $((RANDOM % 300)))"
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    # the next command that creates repairs; then every layer has its record and nothing else is left
    run_cpod create --name next busybox true
    run_cpod rm next
    ids=$(cpod ps -aq --no-trunc)
    n=$(echo "$ids" | grep -c . || true)
    [ "$(layer_dirs)" -eq $((base + n)) ] || { echo "$(layer_dirs) layers for $n containers"; false; }
    [ -z "$(ls -A "$CPOD_ROOT/containers/.creating" 2>/dev/null)" ]
    run_cpod rm -af -t 0
    [ "$(layer_dirs)" -eq "$base" ]
    assert_no_mounts
    for id in $ids; do
        run ctr_cgroups "$id"
        assert_output ""
    done
    # no conmon or container process of this test's runroot is left
    run pgrep -f -- "$CPOD_RUNROOT"
    assert_output ""
    run_cpod system prune -f
}
