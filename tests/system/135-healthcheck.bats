#!/usr/bin/env bats
# Healthchecks without systemd: flags, `healthcheck run`, State.Health, ps, events, the timer
# process and its lifetime, --health-on-failure.

load helpers

setup() {
    cpod_setup
    load_busybox
}

# Processes running `cpod ... healthcheck timer ID` (counted by scanning /proc for that exact ID).
count_timers() { # ID
    local n=0 f
    for f in /proc/[0-9]*/cmdline; do
        if tr '\0' ' ' <"$f" 2>/dev/null | grep -q -- "healthcheck timer $1"; then
            n=$((n + 1))
        fi
    done
    echo "$n"
}

# wait_until SECONDS COMMAND...: retry COMMAND every 0.2s until it succeeds.
wait_until() {
    local end=$((SECONDS + $1))
    shift
    until "$@"; do
        [ $SECONDS -lt $end ] || return 1
        sleep 0.2
    done
}

health_is() { # CTR STATUS
    [ "$(cpod inspect --format '{{.State.Health.Status}}' "$1")" = "$2" ]
}

@test "bad healthcheck flags: one-line error, exit 125, nothing created" {
    run_cpod 125 run -d --network none --health-cmd true --health-on-failure bogus busybox true
    assert_output 'Error: invalid on-failure action "bogus" for health check: supported actions are none,kill,restart,stop'
    run_cpod 125 create --health-cmd true --health-retries 0 busybox true
    assert_output "Error: healthcheck-retries must be greater than 0"
    run_cpod 125 create --health-cmd true --health-timeout 500ms busybox true
    assert_output "Error: healthcheck-timeout must be at least 1 second"
    run_cpod 125 create --health-cmd true --health-interval 5x busybox true
    assert_output 'Error: invalid healthcheck-interval: time: invalid duration "5x"'
    run_cpod 125 create --health-cmd true --health-start-period -1s busybox true
    assert_output "Error: healthcheck-start-period must be 0 seconds or greater"
    run_cpod 125 create --health-cmd true --no-healthcheck busybox true
    assert_output "Error: cannot specify both --no-healthcheck and --health-cmd"
    run_cpod 125 create --health-interval 5s busybox true
    assert_output "Error: healthcheck options need a healthcheck: --health-cmd or the image's HEALTHCHECK"
    run_cpod ps -aq
    assert_output ""
}

@test "healthcheck run: exit codes and output as podman's" {
    run_cpod run -d --network none --name plain busybox sleep 1000
    run_cpod 125 healthcheck run plain
    assert_output "Error: container $(cpod inspect --format '{{.Id}}' plain) has no defined healthcheck"
    run_cpod 125 healthcheck run nosuch
    assert_output --partial "Error: no container with name or ID \"nosuch\" found"
    run_cpod create --name stopped --health-cmd true busybox true
    run_cpod 125 healthcheck run stopped
    assert_output "Error: container $(cpod inspect --format '{{.Id}}' stopped) is not running"
    run_cpod run -d --network none --name hc --health-interval disable --health-cmd 'echo out; echo err >&2; test -e /tmp/ok' busybox sleep 1000
    run_cpod 1 healthcheck run hc
    assert_output "unhealthy"
    run_cpod exec hc touch /tmp/ok
    run_cpod healthcheck run hc
    assert_output ""
    run_cpod inspect --format '{{(index .State.Health.Log 1).Output}}|{{(index .State.Health.Log 1).ExitCode}}' hc
    assert_output "out
err|0"
    run_cpod rm -f -t 0 plain stopped hc
}

@test "unhealthy after exactly --health-retries failures, none counted in the start period; healthy again" {
    run_cpod run -d --network none --name hc --health-interval disable --health-retries 3 \
        --health-start-period 2s --health-cmd 'test -e /tmp/ok' busybox sleep 1000
    assert health_is hc starting
    run_cpod 1 healthcheck run hc # inside the start period: not counted
    run_cpod inspect --format '{{.State.Health.Status}} {{.State.Health.FailingStreak}}' hc
    assert_output "starting 0"
    sleep 2
    for want in "starting 1" "starting 2" "unhealthy 3"; do
        run_cpod 1 healthcheck run hc
        run_cpod inspect --format '{{.State.Health.Status}} {{.State.Health.FailingStreak}}' hc
        assert_output "$want"
    done
    run_cpod exec hc touch /tmp/ok
    run_cpod healthcheck run hc
    run_cpod inspect --format '{{.State.Health.Status}} {{.State.Health.FailingStreak}}' hc
    assert_output "healthy 0"
    # the log keeps the last 5 runs, each with Start, End, ExitCode and Output
    run_cpod inspect --format '{{len .State.Health.Log}} {{(index .State.Health.Log 4).ExitCode}}' hc
    assert_output "5 0"
    run_cpod inspect --format '{{(index .State.Health.Log 0).Start}} {{(index .State.Health.Log 0).End}}' hc
    assert_output --regexp '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9:]+) [0-9]{4}-'
    run_cpod rm -f -t 0 hc
}

@test "the timer runs the check every interval: unhealthy, then healthy again; ps status and filter" {
    run_cpod run -d --network none --name hc --health-interval 1s --health-retries 2 \
        --health-cmd 'test -e /tmp/ok' busybox sleep 1000
    run_cpod run -d --network none --name plain busybox sleep 1000
    wait_until 15 health_is hc unhealthy
    run_cpod ps --format '{{.Names}} {{.Status}}' --filter name=hc
    assert_output --regexp '^hc Up .* \(unhealthy\)$'
    run_cpod ps --format '{{.Names}}' --filter health=unhealthy
    assert_output "hc"
    run_cpod ps --format '{{.Names}}' --filter health=none
    assert_output "plain"
    run_cpod exec hc touch /tmp/ok
    wait_until 15 health_is hc healthy
    run_cpod ps --format '{{.Names}} {{.Status}}' --filter health=healthy
    assert_output --regexp '^hc Up .* \(healthy\)$'
    run_cpod ps --format '{{.Names}}' --filter health=starting
    assert_output ""
    run_cpod 125 ps --filter health=bogus
    assert_output 'Error: invalid health filter value "bogus": must be starting, healthy, unhealthy or none'
    run_cpod events --stream=false --filter event=health_status --format '{{.Status}} {{.HealthStatus}}'
    assert_line "health_status unhealthy"
    assert_line "health_status healthy"
    run_cpod rm -f -t 0 hc plain
}

@test "inspect: Config.Healthcheck in nanoseconds, the JSON-array form, --no-healthcheck, State.Health" {
    run_cpod create --name a --health-cmd 'test -e /x' --health-interval 2m --health-timeout 5s \
        --health-start-period 1s --health-retries 4 --health-on-failure stop busybox true
    run_cpod inspect --format '{{json .Config.Healthcheck}} {{.Config.HealthcheckOnFailureAction}}' a
    assert_output '{"Test":["CMD-SHELL","test -e /x"],"StartPeriod":1000000000,"Interval":120000000000,"Timeout":5000000000,"Retries":4} stop'
    run_cpod create --name b --health-cmd '["test","-e","/x"]' busybox true
    run_cpod inspect --format '{{json .Config.Healthcheck.Test}} {{.Config.Healthcheck.Interval}} {{.Config.Healthcheck.Retries}} {{.Config.HealthcheckOnFailureAction}}' b
    assert_output '["CMD","test","-e","/x"] 30000000000 3 none'
    run_cpod create --name c --no-healthcheck busybox true
    run_cpod inspect --format '{{json .Config.Healthcheck}}' c
    assert_output '{"Test":["NONE"]}'
    run_cpod create --name d busybox true
    run_cpod inspect --format '{{json .State.Health}}' d
    assert_output '{"Status":"","FailingStreak":0,"Log":null}'
    run_cpod rm a b c d
}

@test "--health-on-failure kill and stop end the container; restart restarts it" {
    run_cpod run -d --network none --name k --health-interval 1s --health-retries 1 --health-on-failure kill \
        --health-cmd false busybox sleep 1000
    run_cpod run -d --network none --name s --health-interval 1s --health-retries 1 --health-on-failure stop \
        --stop-timeout 1 --health-cmd false busybox sleep 1000
    run_cpod run -d --network none --name r --health-interval 1s --health-retries 1 --health-on-failure restart \
        --stop-timeout 1 --health-cmd false busybox sleep 1000
    state_is() { [ "$(cpod inspect --format '{{.State.Status}}' "$1")" = "$2" ]; }
    restarted() { [ "$(cpod inspect --format '{{.RestartCount}}' r)" -ge 1 ]; }
    wait_until 15 state_is k exited
    run_cpod inspect --format '{{.State.ExitCode}}' k
    assert_output "137"
    wait_until 15 state_is s exited
    wait_until 20 restarted
    wait_until 10 state_is r running
    run_cpod rm -f -t 0 k s r
}

@test "no healthcheck timer outlives its container: rm -f, kill -9 of conmon, pod rm -f, stop" {
    run_cpod run -d --network none --name a --health-interval 1s --health-cmd true busybox sleep 1000
    a=$output
    [ "$(count_timers "$a")" = 1 ]
    run_cpod rm -f -t 0 a
    [ "$(count_timers "$a")" = 0 ]

    run_cpod run -d --network none --name b --health-interval 1s --health-cmd true busybox sleep 1000
    b=$output
    [ "$(count_timers "$b")" = 1 ]
    kill -9 "$(cpod inspect --format '{{.State.ConmonPid}}' b)"
    timer_gone() { [ "$(count_timers "$1")" = 0 ]; }
    wait_until 2 timer_gone "$b"
    run_cpod rm -f -t 0 b

    run_cpod run -d --network none --name c --health-interval 1s --health-cmd true busybox sleep 1000
    c=$output
    run_cpod stop -t 0 c
    [ "$(count_timers "$c")" = 0 ]
    run_cpod start c
    [ "$(count_timers "$c")" = 1 ]
    run_cpod rm -f -t 0 c
    [ "$(count_timers "$c")" = 0 ]

    run_cpod pod create --name p
    run_cpod run -d --pod p --name d --health-interval 1s --health-cmd true busybox sleep 1000
    d=$output
    [ "$(count_timers "$d")" = 1 ]
    run_cpod pod rm -f -t 0 p
    [ "$(count_timers "$d")" = 0 ]
}

@test "kill -9 of cpod during start: no healthcheck timer before the start, none after rm -f" {
    CPOD_FAILPOINTS=ctr-before-start=kill run "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" \
        run -d --network none --name early --health-interval 1s --health-cmd true busybox sleep 1000
    [ "$status" -eq 137 ]
    run_cpod inspect --format '{{.Id}}' early
    early=$output
    [ "$(count_timers "$early")" = 0 ]
    run_cpod rm -f -t 0 early

    CPOD_FAILPOINTS=ctr-after-health=kill run "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" \
        run -d --network none --name late --health-interval 1s --health-cmd true busybox sleep 1000
    [ "$status" -eq 137 ]
    run_cpod inspect --format '{{.Id}} {{.State.Status}}' late
    late=${output% *}
    assert_output --partial " running"
    [ "$(count_timers "$late")" = 1 ]
    run_cpod rm -f -t 0 late
    [ "$(count_timers "$late")" = 0 ]
    run_cpod ps -aq
    assert_output ""
}

@test "the image's HEALTHCHECK (a docker-format image built with cpod build) is the container's, run by its timer" {
    command -v buildah >/dev/null || skip "buildah is not installed"
    ctx=$CPOD_TEST_DIR/ctx
    mkdir -p "$ctx"
    cat >"$ctx/Containerfile" <<'CF'
FROM localhost/busybox
HEALTHCHECK --interval=1s --timeout=5s --retries=2 CMD echo ran >> /tmp/hc.log; test -f /tmp/hc.log
CF
    since=$(date +%s.%N)
    run_cpod build -q --format docker --network none -t localhost/hc-image "$ctx"
    # the build's one image event is the tag, as podman's (handing the base image to Buildah is no save)
    run_cpod events --stream=false --since "$since" --filter type=image --format '{{.Status}} {{.Name}}'
    assert_output "tag localhost/hc-image:latest"
    run_cpod image inspect --format '{{json .Config.Healthcheck.Test}} {{.Config.Healthcheck.Interval}}' localhost/hc-image
    assert_output '["CMD-SHELL","echo ran >> /tmp/hc.log; test -f /tmp/hc.log"] 1000000000'
    run_cpod run -d --network none --name hc localhost/hc-image sleep 1000
    run_cpod inspect --format '{{.Config.Healthcheck.Test}} {{.Config.Healthcheck.Retries}}' hc
    assert_output "[CMD-SHELL echo ran >> /tmp/hc.log; test -f /tmp/hc.log] 2"
    # not run by hand: the timer started with the container runs it, and it turns healthy after one run
    wait_until 15 health_is hc healthy
    run_cpod exec hc cat /tmp/hc.log
    assert_line ran
    run_cpod inspect --format '{{.State.Health.FailingStreak}} {{(index .State.Health.Log 0).ExitCode}}' hc
    assert_output "0 0"
    run_cpod rm -f -t 0 hc
    run_cpod rmi localhost/hc-image
}
