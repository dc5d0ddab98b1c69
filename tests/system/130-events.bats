#!/usr/bin/env bats
# events: what commands record in the event log, read back with filters, --since/--until,
# --stream=false and --format; followed live (from another process, across rotations).

load helpers

setup() {
    cpod_setup
    load_busybox
}

# Start `cpod events ARGS...` in the background, its output in $CPOD_TEST_DIR/follow.out.
start_follower() {
    "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" events "$@" >"$CPOD_TEST_DIR/follow.out" 2>&1 &
    FOLLOWER=$!
}

stop_follower() {
    kill "$FOLLOWER" 2>/dev/null || true
    wait "$FOLLOWER" 2>/dev/null || true
}

teardown() {
    [ -n "${FOLLOWER:-}" ] && stop_follower
    cpod_teardown
}

@test "events of a scripted sequence, with --since, filters and formats" {
    since=$(date +%s.%N)
    run_cpod run -d --name ev1 --network none --label tier=web busybox sleep 100
    id=$output
    run_cpod pause ev1
    run_cpod unpause ev1
    run_cpod rename ev1 ev2
    run_cpod exec ev2 true
    run_cpod stop -t 0 ev2
    run_cpod rm ev2
    run_cpod 3 run --rm --name ev3 --network none busybox sh -c 'exit 3'

    run_cpod events --stream=false --since "$since" --filter container=ev1 --filter container=ev2 --format '{{.Status}} {{.Name}}'
    assert_output "create ev1
init ev1
start ev1
pause ev1
unpause ev1
rename ev2
exec ev2
exec_died ev2
died ev2
cleanup ev2
stop ev2
remove ev2"
    # the ID prefix selects it as well, and labels are attributes
    run_cpod events --stream=false --since "$since" --filter container="${id:0:10}" --filter label=tier=web --filter event=died
    assert_output --regexp "^[0-9-]+ [0-9:.]+ \+0000 UTC container died $id \(image=localhost/busybox:latest, name=ev2, .*tier=web.*\)\$"
    # the direct (foreground) run path: its exit code on died
    run_cpod events --stream=false --since "$since" --filter container=ev3 --format '{{.Status}} {{.ContainerExitCode}}'
    assert_output "create 0
init 0
start 0
attach 0
died 3
cleanup 0
remove 0"
    run_cpod events --stream=false --since "$since" --filter event=died --format json
    assert_line --index 0 --regexp "^\{\"ContainerExitCode\":137,\"ID\":\"$id\",\"Image\":\"localhost/busybox:latest\",\"Name\":\"ev2\",\"Status\":\"died\",\"Time\":\"[0-9T:.-]+Z\",\"Type\":\"container\",\"Attributes\":\{.*\"tier\":\"web\"\}\}\$"
    [ "${#lines[@]}" -eq 2 ]
    # --until before everything, --no-trunc=false
    run_cpod events --stream=false --until "$since"
    refute_output --partial ev1
    run_cpod events --stream=false --since "$since" --filter event=remove --filter container=ev2 --no-trunc=false
    assert_output --partial "container remove ${id:0:12} (image="
    refute_output --partial "$id"
}

@test "events: bad filters and times are errors" {
    run_cpod 125 events --stream=false --filter bogus=1
    assert_output "Error: failed to parse event filters: bogus is an invalid filter"
    run_cpod 125 events --stream=false --filter nokey
    assert_output "Error: failed to parse event filters: nokey is an invalid filter"
    run_cpod 125 events --stream=false --since yesterday
    assert_output --partial "unable to convert since time of yesterday"
    run_cpod 125 events extra
}

@test "events follows the log: another process's event shows within a second" {
    start_follower --filter type=container --format '{{.Status}} {{.Name}}'
    # until the follower is reading the log (it creates the directory and watches it)
    for _ in $(seq 50); do [ -d "$CPOD_RUNROOT/events" ] && break; sleep 0.1; done
    sleep 0.3
    cpod create --name f1 --network none busybox true >/dev/null
    t0=$(date +%s%N)
    until grep -q '^create f1$' "$CPOD_TEST_DIR/follow.out"; do
        [ $(( $(date +%s%N) - t0 )) -lt 1000000000 ] || { cat "$CPOD_TEST_DIR/follow.out"; false; }
        sleep 0.02
    done
    stop_follower
}

@test "events: the log rotates at events_logfile_max_size and a follower sees every event once" {
    # setup's load_busybox recorded its loadfromarchive event in the default log
    rm -f "$CPOD_RUNROOT/events/events.log"
    cat >"$CPOD_TEST_DIR/c.conf" <<EOC
[engine]
events_logfile_path = "$CPOD_TEST_DIR/ev/events.log"
events_logfile_max_size = "3000"
EOC
    export CONTAINERS_CONF=$CPOD_TEST_DIR/c.conf
    since=$(date +%s.%N)
    start_follower --since "$since" --filter event=create --filter event=remove --format '{{.Status}} {{.Name}}'
    for i in $(seq 12); do
        cpod create --name r$i --network none busybox true >/dev/null
        cpod rm r$i >/dev/null
    done
    expected=$(for i in $(seq 12); do printf 'create r%s\nremove r%s\n' $i $i; done)
    for _ in $(seq 50); do [ "$(cat "$CPOD_TEST_DIR/follow.out")" = "$expected" ] && break; sleep 0.1; done
    run cat "$CPOD_TEST_DIR/follow.out"
    assert_output "$expected"
    stop_follower
    size=$(stat -c %s "$CPOD_TEST_DIR/ev/events.log")
    [ "$size" -lt 3000 ]
    run_cpod events --stream=false --filter type=system --format '{{.Status}} {{.Attributes}}'
    assert_line --index 0 "log-rotation map[io.podman.event.rotate:$CPOD_TEST_DIR/ev/events.log]"
    [ ! -e "$CPOD_RUNROOT/events/events.log" ]
}

@test "events backends: none records nothing, journald falls back to the file with a warning, others are errors" {
    # setup's load_busybox recorded its loadfromarchive event in the default log
    rm -f "$CPOD_RUNROOT/events/events.log"
    run_cpod --events-backend none create --network none busybox true
    [ ! -e "$CPOD_RUNROOT/events/events.log" ]
    run_cpod 125 --events-backend none events --stream=false
    assert_output --partial 'cannot read events with the "none" backend'
    run_cpod --events-backend journald create --network none --name j1 busybox true
    assert_line --index 0 --partial 'events logger "journald" is not supported by cpod, using the "file" logger'
    run_cpod events --stream=false --format '{{.Status}} {{.Name}}'
    assert_output "create j1"
    run_cpod 125 --events-backend bogus ps
    assert_output "Error: unknown event logger type: BOGUS"
}

@test "events of volumes, pods, secrets and image tags, with their filters" {
    since=$(date +%s.%N)
    run_cpod volume create evvol
    run_cpod volume rm evvol
    run_cpod pod create --name evpod
    pod=$output
    run_cpod pod rm evpod
    printf 'x' | cpod secret create evsec - >/dev/null
    run_cpod secret rm evsec
    run_cpod tag busybox localhost/evtag:1
    run_cpod untag busybox localhost/evtag:1
    run_cpod events --stream=false --since "$since" --filter type=volume --filter type=pod --filter type=secret --filter type=image --format '{{.Type}} {{.Status}} {{.Name}}'
    assert_output "volume create evvol
volume remove evvol
pod create evpod
pod remove evpod
secret create evsec
secret remove evsec
image tag localhost/evtag:1
image untag localhost/evtag:1"
    run_cpod events --stream=false --since "$since" --filter volume=evvol --filter pod="${pod:0:8}" --format '{{.Status}}'
    assert_output ""
    run_cpod events --stream=false --since "$since" --filter pod="${pod:0:8}" --format '{{.Status}} {{.Name}}'
    assert_output "create evpod
remove evpod"
}

@test "image events of load, save, pull and import as podman 4.3.1 writes them (load and pull: no ID, the name as given)" {
    since=$(date +%s.%N)
    fx=$(fixtures_dir)
    id=$(cpod inspect --format '{{.Id}}' busybox)
    run_cpod load -q -i "$fx/busybox/busybox-oci.tar"
    run_cpod save -o "$CPOD_TEST_DIR/s.tar" busybox
    run_cpod save --format oci-dir -o "$CPOD_TEST_DIR/sdir" busybox
    run_cpod pull -q "docker-archive:$fx/busybox/busybox-docker.tar"
    run_cpod 125 save -o "$CPOD_TEST_DIR/none.tar" nosuchimage
    echo data >"$CPOD_TEST_DIR/f" && tar -C "$CPOD_TEST_DIR" -cf "$CPOD_TEST_DIR/rootfs.tar" f
    run_cpod import -q "$CPOD_TEST_DIR/rootfs.tar" localhost/evimp:1
    imp=$output
    run_cpod events --stream=false --since "$since" --filter event=loadfromarchive --filter event=save \
        --filter event=pull --filter event=tag --format '{{.Type}} {{.Status}} [{{.ID}}] {{.Name}}'
    assert_output "image loadfromarchive [] $fx/busybox/busybox-oci.tar
image save [$id] $CPOD_TEST_DIR/s.tar
image save [$id] $CPOD_TEST_DIR/sdir
image pull [] docker-archive:$fx/busybox/busybox-docker.tar
image tag [${imp#sha256:}] localhost/evimp:1"
    run_cpod events --stream=false --since "$since" --filter image="$id" --filter event=save --format '{{.Name}}'
    assert_output "$CPOD_TEST_DIR/s.tar
$CPOD_TEST_DIR/sdir"
}
