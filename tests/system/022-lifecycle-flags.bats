#!/usr/bin/env bats
# start/stop/pause/unpause/restart/rm/exists/mount/ps flags as podman scripts use them.

load helpers

setup() {
    cpod_setup
    load_busybox
}

@test "start of a running container prints nothing; start --all leaves running ones alone" {
    run_cpod run -d --name up busybox sleep 1000
    up=$output
    run_cpod create --name cr busybox true
    cr=$output
    run_cpod start up
    assert_output ""
    run_cpod start --all
    assert_output "$cr"
    run_cpod inspect --format '{{.State.Pid}}' up
    [ "$output" -gt 0 ]
    run_cpod rm -f -t 0 up cr
}

@test "start --filter starts the matching containers, and of named ones only those" {
    run_cpod create --name f-one --label team=a busybox true
    one=$output
    run_cpod create --name f-two --label team=b busybox true
    run_cpod start --filter label=team=a
    assert_output "$one"
    run_cpod start --filter name=f- f-two
    assert_output "$(cpod inspect --format '{{.Id}}' f-two)"
    run_cpod 125 start --filter bogus
    assert_output 'Error: invalid filter "bogus"'
    run_cpod start --filter health=healthy
    assert_output ""
    run_cpod 125 start --filter health=bogus
    assert_output 'Error: invalid health filter value "bogus": must be starting, healthy, unhealthy or none'
}

@test "pause/unpause --all act on the containers in the right state only; stop --timeout is -t" {
    run_cpod run -d --name p1 busybox sleep 1000
    run_cpod create --name p2 busybox true
    run_cpod unpause --all
    assert_output ""
    run_cpod pause --all
    assert_output "$(cpod inspect --format '{{.Id}}' p1)"
    run_cpod unpause --all
    assert_output "$(cpod inspect --format '{{.Id}}' p1)"
    run_cpod stop --timeout 0 p1
    assert_output p1
    run_cpod inspect --format '{{.State.Status}}' p1
    assert_output exited
}

@test "restart --running restarts only running containers; --filter selects for stop and rm" {
    run_cpod run -d --name r1 busybox sleep 1000
    r1=$output
    run_cpod create --name r2 busybox true
    r2=$output
    run_cpod restart --running --all -t 0
    assert_output "$r1"
    run_cpod inspect --format '{{.State.Status}}' r2
    assert_output created
    run_cpod stop -t 0 --filter name=^r1$
    assert_output "$r1"
    run_cpod rm --filter status=created
    assert_output "$r2"
    run_cpod 1 container exists r2
    run_cpod container exists --external r1
    run_cpod rm --external r1
    assert_output r1
    run_cpod 1 container exists --external r1
}

@test "ps --filter without -a shows running containers only, unless the filter is on status" {
    run_cpod run -d --name psrun busybox sleep 1000
    run_cpod create --name pscr busybox true
    run_cpod ps --filter name=ps --format '{{.Names}}'
    assert_output psrun
    run_cpod ps -a --filter name=ps --format '{{.Names}}' --sort names
    assert_output "pscr
psrun"
    run_cpod ps --filter status=created --format '{{.Names}}'
    assert_output pscr
    # name and id are regular expressions, as podman's
    run_cpod ps -a --filter 'name=^ps(cr|x)$' --format '{{.Names}}'
    assert_output pscr
    id=$(cpod inspect --format '{{.Id}}' psrun)
    run_cpod ps --filter "id=^${id:0:8}" --format '{{.Names}}'
    assert_output psrun
    run_cpod ps -a --filter before=psrun --format '{{.Names}}'
    assert_output ""
    run_cpod ps -a --filter since=psrun --format '{{.Names}}'
    assert_output pscr
    run_cpod 125 ps --filter status=bogus
    assert_output "Error: unknown container state: bogus: invalid argument"
}

@test "ps --format json has podman's shape: Created in Unix seconds, Status, StartedAt of a never-started one" {
    run_cpod create --name js busybox true
    run_cpod ps -a --format json
    run jq -r '.[0] | [(.Created | type), .Status, .StartedAt] | @tsv' <<<"$output"
    assert_output "number	Created	-62135596800"
    created=$(cpod ps -a --format json | jq '.[0].Created')
    now=$(date +%s)
    [ $((now - created)) -ge 0 ] && [ $((now - created)) -lt 300 ]
}

@test "podman's old flag names still work: --notruncate, --storage, --dns-opt, --override-arch" {
    run_cpod run -d --name old busybox sleep 1000
    run_cpod mount --notruncate
    assert_output --regexp "^[0-9a-f]{64} "
    run_cpod umount old
    run_cpod run --rm --dns-opt ndots:3 busybox cat /etc/resolv.conf
    assert_output --partial "options ndots:3"
    run_cpod rm -f -t 0 --storage old
    assert_output old
    run_cpod run --rm --override-arch "$(cpod image inspect --format '{{.Architecture}}' busybox)" busybox true
}

@test "run exits 137 when its container is removed with rm -f meanwhile (both paths)" {
    for always in 0 1; do
        CPOD_CONMON_ALWAYS=$always "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" \
            run --name gone$always busybox sleep 100 >/dev/null 2>"$CPOD_TEST_DIR/err$always" &
        runpid=$!
        # Running means its command runs: the direct path records "running" as it spawns runc.
        for _ in $(seq 100); do
            pid=$(cpod inspect --format '{{.State.Pid}}' gone$always 2>/dev/null || true)
            [ -n "$pid" ] && [ "$pid" != 0 ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sleep ] && break
            sleep 0.1
        done
        run_cpod rm -f -t 0 gone$always
        rc=0
        wait $runpid || rc=$?
        echo "# path $always: exit $rc, stderr: $(cat "$CPOD_TEST_DIR/err$always")"
        [ "$rc" -eq 137 ]
        [ ! -s "$CPOD_TEST_DIR/err$always" ]
    done
    run ls "$CPOD_RUNROOT/exits"
    assert_output ""
}

@test "stop shows 'stopping' while the stop signal has its time, and kill works meanwhile" {
    run_cpod run -d --name slow busybox sh -c 'trap "" TERM; sleep 1000'
    "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" stop -t 60 slow >"$CPOD_TEST_DIR/stop.out" 2>&1 &
    stoppid=$!
    for _ in $(seq 50); do
        [ "$(cpod inspect --format '{{.State.Status}}' slow)" = stopping ] && break
        sleep 0.1
    done
    run_cpod ps -a --format '{{.Names}} {{.Status}}'
    assert_output "slow Stopping"
    run_cpod kill slow
    rc=0
    wait $stoppid || rc=$?
    [ "$rc" -eq 0 ]
    run cat "$CPOD_TEST_DIR/stop.out"
    assert_output slow
    run_cpod inspect --format '{{.State.Status}} {{.State.ExitCode}}' slow
    assert_output "exited 137"
}
