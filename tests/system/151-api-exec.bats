#!/usr/bin/env bats
# The REST service's exec sessions and stdin attach, driven by the real docker CLI and docker-py
# (see api-helpers.bash).  Containers run with --network none.

load helpers
load api-helpers

setup() {
    api_setup
}

teardown() {
    api_teardown
}

@test "docker exec: output, stderr apart, exit code, env, user, workdir" {
    run_cpod run -d --name ex --network none busybox sleep 100
    run timeout 60 docker exec ex sh -c 'echo out; echo err >&2; exit 4'
    assert_failure 4
    # Two streams: the client writes each as it comes, so their order is not fixed.
    assert_line out
    assert_line err
    assert_equal "${#lines[@]}" 2
    out=$(timeout 60 docker exec ex sh -c 'echo to-out; echo to-err >&2' 2>/dev/null)
    [ "$out" = to-out ]
    run timeout 60 docker exec -e FOO=bar -u 1234 -w /tmp ex sh -c 'echo $FOO $(id -u) $PWD'
    assert_success
    assert_output "bar 1234 /tmp"
    run -127 timeout 60 docker exec ex no-such-command
    assert_failure 127
    assert_output --partial "no-such-command"
    run_cpod rm -f -t 0 ex
}

@test "docker exec -i feeds stdin until the client half-closes; -t gives a terminal of the client's size" {
    run_cpod run -d --name ex --network none busybox sleep 100
    run timeout 60 sh -c 'echo hi | docker exec -i ex cat'
    assert_success
    assert_output hi
    run timeout 60 sh -c 'seq 1 20000 | docker exec -i ex wc -l'
    assert_output 20000
    # script(1) gives docker a terminal; the client sends its size (resize) and relays the pty.
    run timeout 60 script -qec "stty rows 22 cols 91; docker exec -it ex sh -c 'sleep 0.3; stty size; tty; exit 3'" /dev/null </dev/null
    assert_output --partial "22 91"
    assert_output --partial "/dev/pts/"
    run timeout 60 script -qec "docker exec -it ex sh -c 'exit 3'" /dev/null </dev/null
    assert_failure 3
    # A tty exec makes the service a child subreaper only while it runs: the conmon of a container
    # started afterwards is not adopted, so it leaves no zombie behind.
    run timeout 60 docker run -d --name later --network none localhost/busybox true
    run_cpod wait later
    sleep 1
    run ps -o stat= --ppid "$SERVICE_PID"
    refute_output --partial Z
    run_cpod rm -f -t 0 ex later
}

@test "docker exec -d runs in the background; exec sessions inspected through docker-py" {
    /usr/bin/python3 -c "import docker" 2>/dev/null || skip "no python3-docker"
    run_cpod run -d --name ex --network none busybox sleep 100
    run timeout 60 docker exec -d ex sh -c 'sleep 2; touch /tmp/done'
    assert_success
    run_cpod 1 exec ex test -e /tmp/done
    for _ in $(seq 100); do "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" exec ex test -e /tmp/done && break; sleep 0.1; done
    run_cpod exec ex test -e /tmp/done
    run timeout 120 /usr/bin/python3 - <<'PY'
import docker, os
api = docker.APIClient(base_url="unix://" + os.environ["DOCKER_HOST"][7:])
e = api.exec_create("ex", ["sh", "-c", "echo out; echo err >&2; exit 5"])
print(api.exec_inspect(e["Id"])["Running"], api.exec_inspect(e["Id"])["ExitCode"])
out = api.exec_start(e["Id"], demux=True)
print(out)
i = api.exec_inspect(e["Id"])
print(i["Running"], i["ExitCode"], i["Pid"] > 0, i["ProcessConfig"]["entrypoint"])
try:
    api.exec_start(e["Id"])
except docker.errors.APIError as err:
    print(err.status_code)
c = docker.DockerClient(base_url=api.base_url.replace("http+docker://localhost", "unix://" + os.environ["DOCKER_HOST"][7:]))
print(c.containers.get("ex").exec_run(["cat", "/etc/hostname"], workdir="/").exit_code)
PY
    assert_success
    assert_output "False None
(b'out\n', b'err\n')
False 5 True sh
409
0"
    run_cpod rm -f -t 0 ex
}

@test "exec: errors for stopped containers, unknown sessions and members cpod does not support" {
    run_cpod create --name ex --network none busybox sleep 100
    run timeout 60 docker exec ex true
    assert_failure
    assert_output --partial "is not running"
    run curl -s -w ' %{http_code}' --unix-socket "$SOCK" -X POST -H 'Content-Type: application/json' \
        http://d/exec/0123456789ab/start -d '{}'
    assert_output --partial "No such exec instance"
    assert_output --partial " 404"
    run_cpod start ex
    run curl -s -w ' %{http_code}' --unix-socket "$SOCK" -X POST -H 'Content-Type: application/json' \
        http://d/containers/ex/exec -d '{"Cmd":["true"],"NoSuchMember":1}'
    assert_output --partial " 400"
    run curl -s -w ' %{http_code}' --unix-socket "$SOCK" -X POST -H 'Content-Type: application/json' \
        http://d/containers/ex/exec -d '{"Cmd":[]}'
    assert_output --partial "No exec command specified"
    run_cpod rm -f -t 0 ex
}

@test "docker run -i, attach, start -ai: stdin reaches the container until the client half-closes" {
    # timeout wraps docker itself (not a shell around a pipe), and -k: docker proxies SIGTERM to the container
    run timeout -k 5 60 docker run -i --rm --network none localhost/busybox cat <<<hi
    assert_success
    assert_output hi
    run timeout -k 5 60 docker run -i --rm --network none localhost/busybox wc -l < <(seq 1 30000)
    assert_output 30000
    run timeout -k 5 60 docker run -i --rm --network none localhost/busybox sh -c 'read x; echo got $x; exit 6' <<<line
    assert_failure 6
    assert_output "got line"
    run timeout -k 5 60 docker run -d -i --name at --network none localhost/busybox sh -c 'read x; echo got $x; exit 2'
    assert_success
    run timeout -k 5 60 docker attach at <<<hi
    assert_failure 2
    assert_output "got hi"
    run timeout -k 5 60 docker create -i --name st --network none localhost/busybox sh -c 'read x; echo got $x; exit 5'
    run timeout -k 5 60 docker start -ai st <<<yo
    assert_failure 5
    assert_output "got yo"
    # A terminal: script(1) gives docker one; what it types reaches the shell.
    run timeout 60 script -qec "docker run -it --rm --network none localhost/busybox sh" /dev/null \
        < <(sleep 1; printf 'echo hello-from-stdin\nexit 4\n'; sleep 2)
    assert_failure 4
    assert_output --partial "hello-from-stdin"
    # The client sizes the container's terminal to its own (POST /containers/{id}/resize).
    run timeout 60 script -qec "stty rows 20 cols 70; docker run -it --rm --network none localhost/busybox sh -c 'sleep 0.5; stty size'" \
        /dev/null < <(sleep 4)
    assert_output --partial "20 70"
    run curl -s -w ' %{http_code}' -X POST --unix-socket "$SOCK" 'http://d/containers/at/resize?h=10&w=10'
    assert_output --partial " 409"
    run_cpod rm at st
    run_cpod ps -aq
    assert_output ""
    # Stdin cannot flow on a connection that is not hijacked, and detaching is not there yet.
    run curl -s -w ' %{http_code}' --unix-socket "$SOCK" -X POST 'http://d/containers/nope/attach?stdin=1&stream=1'
    assert_output --partial " 400"
    run curl -s -w ' %{http_code}' --unix-socket "$SOCK" -X POST 'http://d/containers/nope/attach?detachKeys=ctrl-x'
    assert_output --partial "not supported"
}

@test "clients gone mid-exec and mid-attach leave no threads or fds behind" {
    run_cpod run -d --name ex --network none busybox sleep 100
    run_cpod run -d -i --name at2 --network none busybox sh -c 'sleep 3'
    local t0 f0 t f
    t0=$(ls "/proc/$SERVICE_PID/task" | wc -l)
    f0=$(ls "/proc/$SERVICE_PID/fd" | wc -l)
    run timeout 1 docker exec ex sleep 3
    run timeout 1 docker exec -i ex sh -c 'cat; sleep 3'
    run timeout 1 docker attach at2
    for _ in $(seq 100); do
        t=$(ls "/proc/$SERVICE_PID/task" | wc -l)
        f=$(ls "/proc/$SERVICE_PID/fd" | wc -l)
        [ "$t" -le "$t0" ] && [ "$f" -le "$f0" ] && break
        sleep 0.1
    done
    echo "threads $t0 -> $t, fds $f0 -> $f"
    [ "$t" -le "$t0" ]
    [ "$f" -le "$f0" ]
    run ping
    assert_success
    run_cpod rm -f -t 0 ex at2
}
