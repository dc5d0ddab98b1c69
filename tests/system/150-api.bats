#!/usr/bin/env bats
# The REST service (cpod system service) driven by the real docker CLI and docker-py over a
# private unix socket.  The service is started per test and stopped by its PID.  Containers run
# with --network none: nothing here needs a network.

load helpers
load api-helpers

setup() {
    api_setup
}

teardown() {
    api_teardown
}

@test "the socket is 0600 in a 0700 directory; _ping gives the API version" {
    [ "$(stat -c %a "$SOCK")" = 600 ]
    [ "$(stat -c %a "$(dirname "$SOCK")")" = 700 ]
    run ping
    assert_success
    assert_output --partial "Api-Version: 1.41"
    run curl -s --unix-socket "$SOCK" http://d/v1.99/version
    assert_output --partial "client version 1.99 is too new"
}

@test "docker version, ps, images, inspect" {
    run timeout 30 docker version --format '{{.Server.APIVersion}}'
    assert_success
    assert_output 1.41
    run timeout 30 docker images --format '{{.Repository}}:{{.Tag}}'
    assert_output localhost/busybox:latest
    run_cpod create --name made-by-cli --network none busybox true
    run timeout 30 docker ps -a --format '{{.Names}} {{.State}}'
    assert_output "made-by-cli created"
    run timeout 30 docker inspect --format '{{.Name}} {{.State.Status}}' made-by-cli
    assert_output "/made-by-cli created"
    run timeout 30 docker inspect no-such-thing
    assert_failure
    assert_output --partial "No such object"
}

@test "docker run --rm shows the output, propagates the exit code and removes the container" {
    run timeout 60 docker run --rm --network none localhost/busybox echo hi
    assert_success
    assert_output hi
    run timeout 60 docker run --rm --network none localhost/busybox sh -c 'echo out; sleep 0.5; echo err >&2; exit 3'
    assert_failure 3
    assert_output $'out\nerr'
    # stdout and stderr stay apart through the multiplexed stream
    out=$(timeout 60 docker run --rm --network none localhost/busybox sh -c 'echo to-out; echo to-err >&2' 2>/dev/null)
    [ "$out" = to-out ]
    run_cpod ps -aq
    assert_output ""
}

@test "docker run -d, logs, stop, rm" {
    run timeout 60 docker run -d --network none --name bg localhost/busybox sh -c 'echo started; sleep 100'
    assert_success
    for _ in $(seq 50); do
        out=$(timeout 10 docker logs bg 2>&1) && [ "$out" = started ] && break
        sleep 0.1
    done
    run timeout 30 docker logs bg
    assert_output started
    run timeout 30 docker ps --format '{{.Names}} {{.State}}'
    assert_output "bg running"
    run timeout 60 docker stop -t 1 bg
    assert_success
    run timeout 30 docker rm bg
    assert_success
    run_cpod ps -aq
    assert_output ""
    run timeout 30 docker rm bg
    assert_failure
    assert_output --partial "no such container"
}

@test "docker ps --filter: status, label, name, id, ancestor, exited; bad filters are errors" {
    run_cpod run -d --name f-run --label team=a --network none busybox sleep 100
    run_cpod 3 run --name f-ex3 --label team=b --network none busybox sh -c 'exit 3'
    run_cpod 1 run --name f-ex1 --network none busybox false
    run_cpod create --name f-new --label team=a --network none busybox true
    run timeout 30 docker ps --filter status=exited --format '{{.Names}}'
    assert_output $'f-ex1\nf-ex3'
    run timeout 30 docker ps -a --filter label=team=a --format '{{.Names}}'
    assert_output $'f-new\nf-run'
    run timeout 30 docker ps --filter label=team --format '{{.Names}}'
    assert_output f-run
    run timeout 30 docker ps -a --filter name=ex --filter exited=3 --format '{{.Names}}'
    assert_output f-ex3
    id=$("$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" inspect --format '{{.Id}}' f-new)
    run timeout 30 docker ps -a --filter "id=${id:0:10}" --format '{{.Names}}'
    assert_output f-new
    run timeout 30 docker ps -a --filter ancestor=localhost/busybox --filter status=created --format '{{.Names}}'
    assert_output f-new
    run timeout 30 docker ps -a --filter ancestor=no-such-image -q
    assert_output ""
    run timeout 30 docker ps -s --filter name=f-run --format '{{.Names}} {{.Size}}'
    assert_output --regexp '^f-run [0-9.]+k?B \(virtual [0-9.]+[kM]B\)$'
    run timeout 30 docker ps --filter publish=80
    assert_failure
    assert_output --partial "publish is an invalid filter"
    run curl -s -w ' %{http_code}' --unix-socket "$SOCK" 'http://d/containers/json?filters=%5B1%5D'
    assert_output --partial " 400"
    # the older shape of the filters: {"key": {"value": true}}
    run curl -sf --unix-socket "$SOCK" 'http://d/containers/json?all=1&filters=%7B%22name%22%3A%7B%22f-run%22%3Atrue%7D%7D'
    assert_output --partial '"/f-run"'
    run_cpod rm -af -t 0
}

@test "docker events: Docker's objects from cpod's log, since/until, filters; a client's end ends its stream" {
    local t0
    t0=$(date +%s)
    run_cpod 2 run --name ev1 --network none busybox sh -c 'exit 2'
    run_cpod rm ev1
    run timeout 30 docker events --since "$t0" --until "$(($(date +%s) + 1))" --filter container=ev1 \
        --format '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}'
    assert_success
    assert_line "container create ev1"
    assert_line "container start ev1"
    assert_line "container die ev1"
    assert_line "container destroy ev1"
    run timeout 30 docker events --since "$t0" --until "$(($(date +%s) + 1))" --filter event=die \
        --format '{{.Actor.Attributes.exitCode}} {{.Status}} {{.From}}'
    assert_output "2 die localhost/busybox:latest"
    # Following: what happens after the request, past a keepalive (5 s), filtered by a Docker name.
    timeout 60 docker events --since "$(date +%s)" --until "$(($(date +%s) + 8))" --filter event=destroy \
        --format '{{.Action}} {{.Actor.Attributes.name}}' >"$CPOD_TEST_DIR/ev.out" &
    local evpid=$!
    sleep 6
    run_cpod run --rm --name ev2 --network none busybox true
    wait "$evpid"
    run cat "$CPOD_TEST_DIR/ev.out"
    assert_output "destroy ev2"
    run curl -s -w ' %{http_code}' --unix-socket "$SOCK" 'http://d/events?filters=%7B%22bogus%22%3A%5B%22x%22%5D%7D'
    assert_output --partial "bogus is an invalid filter"
    assert_output --partial " 400"
    # A client that goes away: its stream's threads end (within a keepalive).
    local n0 n
    n0=$(ls "/proc/$SERVICE_PID/task" | wc -l)
    timeout 1 curl -s --unix-socket "$SOCK" http://d/events || true
    for _ in $(seq 150); do
        n=$(ls "/proc/$SERVICE_PID/task" | wc -l)
        [ "$n" -le "$n0" ] && break
        sleep 0.1
    done
    [ "$n" -le "$n0" ]
}

@test "docker pause, unpause, rename, top, diff, export, container prune" {
    run timeout 60 docker run -d --name o1 --network none localhost/busybox sh -c 'touch /newfile; sleep 100'
    assert_success
    run timeout 30 docker pause o1
    assert_success
    run_cpod inspect --format '{{.State.Status}}' o1
    assert_output paused
    run timeout 30 docker unpause o1
    run_cpod inspect --format '{{.State.Status}}' o1
    assert_output running
    run timeout 30 docker rename o1 o2
    assert_success
    run_cpod inspect --format '{{.Name}}' o2
    assert_output o2
    run timeout 30 docker top o2 -o pid,args
    assert_success
    assert_line --regexp '^PID +COMMAND$'
    assert_line --regexp '^1 +sleep 100$'
    run timeout 30 docker top o2 -o nosuchfield
    assert_failure
    assert_output --partial "podman's descriptors only"
    run timeout 30 docker diff o2
    assert_output "A /newfile"
    run sh -c "timeout 30 docker export o2 | tar -t"
    assert_line newfile
    assert_line bin/busybox
    run_cpod rm -f -t 0 o2
    run_cpod create --name p1 --network none busybox true
    run timeout 30 docker container prune -f
    assert_success
    assert_output --partial "Deleted Containers:"
    run_cpod ps -aq
    assert_output ""
}

@test "docker volume create, ls, inspect, rm" {
    run timeout 30 docker volume create apivol
    assert_output apivol
    run timeout 30 docker volume ls --format '{{.Name}} {{.Driver}}'
    assert_output "apivol local"
    run_cpod volume ls -q
    assert_output apivol
    run timeout 30 docker volume inspect --format '{{.Mountpoint}}' apivol
    assert_output "$CPOD_ROOT/volumes/apivol/_data"
    run timeout 30 docker volume rm apivol
    assert_success
    run_cpod volume ls -q
    assert_output ""
}

@test "docker volume, network and image prune" {
    run timeout 30 docker volume create keep
    run timeout 30 docker volume create --label drop=yes dropme
    run_cpod create --name user --network none -v keep:/data busybox true
    run timeout 30 docker volume prune -f --filter label=drop=yes
    assert_success
    assert_output --partial dropme
    run_cpod volume ls -q
    assert_output keep
    run timeout 30 docker network create apinet
    assert_success
    run timeout 30 docker network prune -f
    assert_success
    assert_output --partial apinet
    run timeout 30 docker network ls --format '{{.Name}}'
    refute_output --partial apinet
    run_cpod rm -a
    run timeout 30 docker image prune -f
    assert_success
    run_cpod images -q
    assert [ -n "$output" ]
    run timeout 30 docker image prune -a -f
    assert_success
    assert_output --partial "deleted: sha256:"
    run_cpod images -q
    assert_output ""
    run curl -s -w ' %{http_code}' -X POST --unix-socket "$SOCK" \
        'http://d/images/prune?filters=%7B%22until%22%3A%5B%221h%22%5D%7D'
    assert_output --partial " 501"
    run_cpod volume rm -a
}

@test "docker save and load: a docker-archive both ways" {
    local id
    id=$("$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" image inspect --format '{{.Id}}' localhost/busybox)
    run timeout 60 docker save -o "$CPOD_TEST_DIR/saved.tar" localhost/busybox
    assert_success
    run tar -tf "$CPOD_TEST_DIR/saved.tar"
    assert_line manifest.json
    assert_line "$id.json"
    run timeout 60 docker rmi localhost/busybox
    assert_success
    run timeout 60 docker load -i "$CPOD_TEST_DIR/saved.tar"
    assert_success
    assert_output "Loaded image: localhost/busybox:latest"
    run_cpod image inspect --format '{{.Id}}' localhost/busybox
    assert_output "$id"
    run timeout 60 docker save -o "$CPOD_TEST_DIR/x.tar" no-such-image
    assert_failure
    assert_output --partial "image not known"
    run sh -c "head -c 1000 /dev/urandom | timeout 60 docker load"
    assert_failure
    run ls "${TMPDIR:-/var/tmp}"
    refute_output --partial cpod-load-
}

@test "docker system df: images, containers and volumes as cpod system df counts them" {
    run timeout 30 docker volume create dv
    run timeout 60 docker run --name d1 -v dv:/data --network none localhost/busybox \
        sh -c 'head -c 100000 /dev/zero >/data/f; head -c 50000 /dev/zero >/f'
    assert_success
    run timeout 30 docker system df --format '{{.Type}} {{.TotalCount}} {{.Active}} {{.Size}}'
    assert_success
    assert_line --regexp '^Images 1 1 [0-9.]+MB$'
    assert_line "Containers 1 0 50kB"
    assert_line "Local Volumes 1 1 100kB"
    run_cpod rm d1
    run_cpod volume rm dv
}

@test "docker stats: one sample pair, a stream, docker-py; a gone client's stream ends" {
    run timeout 60 docker run -d --name s1 --network none localhost/busybox sh -c 'while :; do :; done'
    assert_success
    run timeout 60 docker stats --no-stream --format '{{.Name}} {{.CPUPerc}} {{.PIDs}}' s1
    assert_success
    # A busy loop: most of a CPU, measured over the second between the two samples.
    assert_output --regexp '^s1 [1-9][0-9]*\.[0-9]+% 1$'
    local t0 t
    t0=$(ls "/proc/$SERVICE_PID/task" | wc -l)
    # docker stats streams until killed (it ignores SIGTERM).
    timeout -s KILL 3 docker stats --format '{{.Name}} {{.PIDs}}' s1 >"$CPOD_TEST_DIR/st.out" || true
    run grep -c "s1 1" "$CPOD_TEST_DIR/st.out"
    assert [ "$output" -ge 2 ]
    for _ in $(seq 150); do
        t=$(ls "/proc/$SERVICE_PID/task" | wc -l)
        [ "$t" -le "$t0" ] && break
        sleep 0.1
    done
    [ "$t" -le "$t0" ]
    run timeout 60 /usr/bin/python3 -c '
import docker, os
c = docker.DockerClient(base_url="unix://" + os.environ["DOCKER_HOST"][7:])
s = c.containers.get("s1").stats(stream=False)
print(s["name"], s["pids_stats"]["current"], s["cpu_stats"]["cpu_usage"]["total_usage"] > s["precpu_stats"]["cpu_usage"]["total_usage"] > 0)'
    assert_success
    assert_output "/s1 1 True"
    run curl -s -w ' %{http_code}' --unix-socket "$SOCK" 'http://d/containers/nope/stats?stream=0'
    assert_output --partial " 404"
    run_cpod rm -f -t 0 s1
}

@test "docker-py: create, start, wait, logs, remove" {
    /usr/bin/python3 -c "import docker" 2>/dev/null || skip "no python3-docker"
    run timeout 120 /usr/bin/python3 - <<'PY'
import docker
c = docker.DockerClient(base_url="unix://" + __import__("os").environ["DOCKER_HOST"][7:])
ctr = c.containers.create("localhost/busybox", ["sh", "-c", "echo out; echo err >&2; exit 7"],
                          network_mode="none")
ctr.start()
print(ctr.wait()["StatusCode"])
print(ctr.logs(stdout=True, stderr=False).decode().strip())
print(ctr.logs(stdout=False, stderr=True).decode().strip())
ctr.remove()
print(len(c.containers.list(all=True)))
PY
    assert_success
    assert_output "7
out
err
0"
}

@test "malformed, oversized and unknown requests get Docker's errors and the service lives on" {
    run curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" -X POST \
        -H 'Content-Type: application/json' -d '{"Image": ' http://d/v1.41/containers/create
    assert_output 400
    run curl -s --unix-socket "$SOCK" -X POST -H 'Content-Type: application/json' -d '[1]' \
        http://d/containers/create
    assert_output --partial '"message"'
    # A missing member where one is expected must not crash it (it did).
    run curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" -X POST -H 'Content-Type: application/json' \
        -d '{"Image":"localhost/busybox","HostConfig":{"LogConfig":{"Type":""}}}' http://d/containers/create
    assert_output 201
    run_cpod rm -a
    head -c 2000000 /dev/zero | tr '\0' x >"$CPOD_TEST_DIR/big"
    run curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" -X POST \
        --data-binary @"$CPOD_TEST_DIR/big" http://d/containers/create
    assert_output 413
    run curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" -X POST \
        -d '{"Image":"localhost/busybox","HostConfig":{"PortBindings":{"80/tcp":[{"HostPort":"8080"}]}}}' \
        -H 'Content-Type: application/json' http://d/containers/create
    assert_output 400
    run curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" http://d/containers/nope/json
    assert_output 404
    run curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" 'http://d/containers/nope/logs?stdout=1&details=1'
    assert_output 501
    run curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" http://d/no/such/path
    assert_output 404
    run curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" -X POST http://d/containers/nope/kill?signal=NOPE
    assert_output 400
    # A client that sends half a request and goes away.
    printf 'POST /containers/create HTTP/1.1\r\nHost: d\r\nContent-Length: 100\r\n\r\n{"Ima' |
        timeout 2 python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(sys.stdin.buffer.read()); s.close()' "$SOCK"
    run ping
    assert_success
    run_cpod ps -aq
    assert_output ""
}

@test "system service: idle timeout, TCP refuses non-loopback addresses" {
    local sock2=$CPOD_TEST_DIR/api2/s.sock
    run timeout 20 "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" system service --time 1 "unix://$sock2"
    assert_success
    [ ! -e "$sock2" ]
    run_cpod 125 system service --time 1 tcp:0.0.0.0:0
    assert_output --partial "refusing to listen"
    run timeout 20 "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" system service --time 1 tcp:127.0.0.1:0
    assert_success
    assert_output --partial "not authenticated"
}
