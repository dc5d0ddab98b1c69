#!/usr/bin/env bats
# exec, top, pause/unpause, and terminals (driven through tmux)

load helpers

setup() {
    cpod_setup
    load_busybox
}

start_sleeper() {
    run_cpod run -d --name "${1:-sleeper}" busybox sh -c 'sleep 1000 & sleep 1001'
}

@test "exec runs in the container and returns the process's exit code" {
    start_sleeper
    run "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" exec sleeper sh -c 'echo in-$(hostname); exit 7'
    [ "$status" -eq 7 ]
    assert_output --regexp '^in-[0-9a-f]{12}$'
    run_cpod 127 exec sleeper nosuchcommand
    assert_output 'Error: runc: exec failed: unable to start container process: exec: "nosuchcommand": executable file not found in $PATH'
    run_cpod 126 exec sleeper /etc/passwd
    run_cpod 125 exec nosuch true
    assert_output --partial "no such container"
}

@test "exec -e, --env-file, -u, -w, --privileged" {
    start_sleeper
    printf 'FROMFILE=1\n' > "$CPOD_TEST_DIR/env"
    run_cpod exec -e FOO=bar --env-file "$CPOD_TEST_DIR/env" -u nobody -w /tmp sleeper \
        sh -c 'echo $FOO $FROMFILE $(id -u) $(pwd) $container'
    assert_output "bar 1 65534 /tmp podman"
    run_cpod 125 exec -e = sleeper true
    assert_output 'Error: invalid environment variable: "="'
    run_cpod exec sleeper sh -c 'grep CapEff /proc/self/status'
    default=$output
    run_cpod exec --privileged sleeper sh -c 'grep CapEff /proc/self/status'
    [ "$output" != "$default" ]
}

@test "exec -i passes stdin, exec -d returns a session ID at once" {
    start_sleeper
    run bash -c "echo through-stdin | '$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' exec -i sleeper cat"
    assert_success
    assert_output through-stdin
    run_cpod exec -d sleeper sh -c 'sleep 0.3; touch /tmp/detached-done'
    assert_output --regexp '^[0-9a-f]{64}$'
    for i in $(seq 30); do cpod exec sleeper test -e /tmp/detached-done && break; sleep 0.1; done
    run_cpod exec sleeper test -e /tmp/detached-done
}

@test "exec on a stopped container is refused" {
    run_cpod create --name idle busybox true
    run_cpod 125 exec idle true
    assert_output --partial "can only create exec sessions on running containers"
}

@test "top lists the container's processes with podman's descriptors, other arguments go to ps(1)" {
    start_sleeper
    run_cpod top sleeper
    assert_line --index 0 --regexp '^USER +PID +PPID +%CPU +ELAPSED +TTY +TIME +COMMAND$'
    assert_output --partial "sleep 1000"
    assert_line --regexp '^root +1 +0 .*sleep 1001$'
    run_cpod top sleeper pid,comm
    assert_line --index 0 --regexp '^PID +COMMAND$'
    assert_line --regexp '^1 +sleep$'
    # Other arguments are ps(1) options, for the container's own ps (busybox's here).
    run_cpod top sleeper -o pid,args
    assert_line --index 0 --regexp '^PID +COMMAND$'
    assert_line --regexp '^ +[0-9]+ sleep 1000$'
    run_cpod 125 top sleeper -p 1
    assert_line "Error: ps(1) failed with exit code 1"
}

@test "pause freezes the container, unpause thaws it" {
    start_sleeper
    run_cpod pause sleeper
    run_cpod ps -a --format '{{.Names}} {{.State}}'
    assert_output "sleeper paused"
    # like podman, plain ps lists running containers only
    run_cpod ps -q
    assert_output ""
    pid=$(cpod inspect --format '{{.State.Pid}}' sleeper)
    grep -Eq '^State:\s+[SD]' "/proc/$pid/status"
    run_cpod 125 pause sleeper
    run_cpod unpause sleeper
    run_cpod ps --format '{{.State}}'
    assert_output running
    run_cpod exec sleeper true
}

# The terminal tests drive a real tmux session.
tmux_start() {
    TMUX_SOCK=$CPOD_TEST_DIR/tmux.sock
    tmux -S "$TMUX_SOCK" new-session -d -x 100 -y 30 -s t "$*"
}

tmux_wait_for() { # text [seconds]
    for i in $(seq $(( ${2:-10} * 10 ))); do
        tmux -S "$TMUX_SOCK" capture-pane -p -t t 2>/dev/null | grep -q -- "$1" && return 0
        sleep 0.1
    done
    echo "timed out waiting for '$1'; screen:"
    tmux -S "$TMUX_SOCK" capture-pane -p -t t
    return 1
}

tmux_stop() {
    [ -n "${TMUX_SOCK:-}" ] && tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true
}

teardown() {
    tmux_stop
    cpod_teardown
}

@test "run -it: a real terminal, window resize, detach with ctrl-p ctrl-q, attach again" {
    C="$CPOD_BIN --root $CPOD_ROOT --runroot $CPOD_RUNROOT"
    tmux_start "$C run -it --name term busybox sh"
    tmux_wait_for '#'
    tmux -S "$TMUX_SOCK" send-keys -t t 'tty; stty size' Enter
    tmux_wait_for '/dev/pts/0'
    tmux_wait_for '30 100'
    tmux -S "$TMUX_SOCK" resize-window -t t -x 120 -y 40
    sleep 0.3
    tmux -S "$TMUX_SOCK" send-keys -t t 'stty size' Enter
    tmux_wait_for '40 120'
    # Detach: the container keeps running.
    tmux -S "$TMUX_SOCK" send-keys -t t C-p C-q
    for i in $(seq 50); do tmux -S "$TMUX_SOCK" has-session -t t 2>/dev/null || break; sleep 0.1; done
    run_cpod ps --format '{{.Names}} {{.State}}'
    assert_output "term running"
    tmux_stop
    tmux_start "$C attach term"
    sleep 0.3
    tmux -S "$TMUX_SOCK" send-keys -t t 'echo reattached-$((40+2))' Enter
    tmux_wait_for 'reattached-42'
    tmux -S "$TMUX_SOCK" send-keys -t t 'exit 5' Enter
    for i in $(seq 50); do tmux -S "$TMUX_SOCK" has-session -t t 2>/dev/null || break; sleep 0.1; done
    run_cpod wait term
    assert_output 5
}

@test "exec -it gives a terminal" {
    start_sleeper
    C="$CPOD_BIN --root $CPOD_ROOT --runroot $CPOD_RUNROOT"
    tmux_start "$C exec -it sleeper sh"
    tmux_wait_for '#'
    tmux -S "$TMUX_SOCK" send-keys -t t 'tty; echo $TERM' Enter
    tmux_wait_for '/dev/pts/'
    tmux_wait_for 'xterm'
    tmux -S "$TMUX_SOCK" send-keys -t t 'exit' Enter
    for i in $(seq 50); do tmux -S "$TMUX_SOCK" has-session -t t 2>/dev/null || break; sleep 0.1; done
    run_cpod ps --format '{{.Names}} {{.State}}'
    assert_output "sleeper running"
}

@test "exec sessions are recorded while they run and forgotten after" {
    start_sleeper
    run_cpod exec -d sleeper sleep 1
    sid=$output
    run_cpod inspect --format '{{json .ExecIDs}}' sleeper
    assert_output "[\"$sid\"]"
    for i in $(seq 40); do
        [ "$(cpod inspect --format '{{len .ExecIDs}}' sleeper)" = 0 ] && break
        sleep 0.1
    done
    run_cpod inspect --format '{{len .ExecIDs}}' sleeper
    assert_output 0
}

@test "--latest puts the newest container in place of the name" {
    run_cpod run -d --name older busybox sleep 1000
    run_cpod run -d --name newest busybox sh -c 'echo from-newest; exec sleep 1001'
    run_cpod exec -l cat /etc/hostname
    assert_output "$(cut -c1-12 <<<"$("$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" inspect --format '{{.Id}}' newest)")"
    run_cpod inspect -l --format '{{.Name}}'
    assert_output newest
    run_cpod logs -l
    assert_output from-newest
    run_cpod top -l args
    assert_line --index 1 "sleep 1001"
    run_cpod 125 logs -l older
    assert_output "Error: --latest and containers cannot be used together"
    run_cpod rm -af -t 0
    run_cpod 125 inspect -l
    assert_output --partial "no such container"
}

@test "exec -it starts with the caller's terminal size and follows resizes, as run -it" {
    command -v script >/dev/null || skip "script(1) is not installed"
    cat >"$CPOD_TEST_DIR/resize.sh" <<'SH'
#!/bin/bash
# On script(1)'s pty: 30x100, then 20x50 (with SIGWINCH to the command) after 0.7 s.
stty cols 100 rows 30
tty=$(tty)
( sleep 0.7; stty -F "$tty" cols 50 rows 20; kill -WINCH $(cat /proc/$$/task/$$/children) ) &
"$@"
wait
SH
    chmod +x "$CPOD_TEST_DIR/resize.sh"
    run_cpod run -d --name term busybox sleep 1000
    for cmd in "exec -it term" "run --rm -it busybox"; do
        run script -qec "$CPOD_TEST_DIR/resize.sh $CPOD_BIN --root $CPOD_ROOT --runroot $CPOD_RUNROOT $cmd sh -c 'stty size; sleep 1.5; stty size'" /dev/null
        assert_success
        run tr -d '\r\0^@' <<<"$output"
        assert_output --partial "30 100
20 50"
    done
}
