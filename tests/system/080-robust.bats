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
